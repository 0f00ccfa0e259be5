#!/usr/bin/env bash
# The scale curve of `ibsim load`: the same shape of workload (25 regions, every copy encrypted and
# cross-account) at 10^3, 10^4, 10^5 and 10^6 copies, plus the 16,000-copy workload of the issue,
# each measured with /usr/bin/time -v (wall time, user time, peak RSS). Prints a Markdown table.
#
#   bench/load-scale.sh build/release/src/cli/ibsim [--max 100000]
set -euo pipefail

IBSIM=${1:?usage: load-scale.sh IBSIM [--max COPIES]}
MAX=${3:-1000000}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# label accounts regions images
RUNS=(
  "1e3 40 25 1"
  "1e4 400 25 1"
  "16k 1000 16 1"
  "1e5 2000 25 2"
  "1e6 2000 25 20"
)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| workload | copies | events | wall s | user s | µs per copy (wall) | peak RSS MiB | KiB per copy |"
echo "|---|---|---|---|---|---|---|---|"
for run in "${RUNS[@]}"; do
  read -r label accounts regions images <<<"$run"
  planned=$(( accounts * regions * images + (regions - 1) * images ))
  if (( planned > MAX )); then
    continue
  fi
  /usr/bin/time -v "$IBSIM" load --accounts "$accounts" --regions "$regions" --images "$images" \
      --seed 2026 --format json --no-progress >"$OUT/report.json" 2>"$OUT/time.txt"
  copies=$(python3 -c "import json,sys; print(json.load(open('$OUT/report.json'))['copies']['available'])")
  events=$(python3 -c "import json,sys; print(json.load(open('$OUT/report.json'))['events'])")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/time.txt")
  user=$(awk -F': ' '/User time/ {print $2}' "$OUT/time.txt")
  rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")
  python3 - "$label" "$accounts" "$regions" "$images" "$copies" "$events" "$wall" "$user" "$rss_kib" <<'PY'
import sys
label, a, r, i, copies, events, wall, user, rss = sys.argv[1:]
copies, events, wall, user, rss = int(copies), int(events), float(wall), float(user), int(rss)
print(f"| {label}: {a} accounts x {r} regions x {i} images | {copies:,} | {events:,} | {wall:.2f} | "
      f"{user:.2f} | {wall / copies * 1e6:.1f} | {rss / 1024:.0f} | {rss / copies:.2f} |")
PY
done
