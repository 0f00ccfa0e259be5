#!/usr/bin/env bash
# The scale curve of `ibsim load`: the same shape of workload (25 regions, every copy encrypted and
# cross-account) at 10^3, 10^4, 10^5 and 10^6 copies, plus the 16,000-copy workload of the issue,
# each measured with /usr/bin/time -v (wall time, user time, peak RSS). Prints a Markdown table.
#
#   bench/load-scale.sh build/release/src/cli/ibsim [--max 200000 | --only 1e6]
#
# At most 1,000 target accounts per image: EC2 shares an AMI with at most 1,000 accounts
# (ModifyImageAttribute answers ResourceLimitExceeded beyond), so the larger sizes add images.
# Image Builder's 50 concurrent copies per distribution configuration is lifted
# (--per-distribution-cap 0): with it, one image's 25,000 copies take ~25 simulated hours and
# the distribution times out at 12 h, so the run would measure the quota, not the simulator; for the
# same reason the engine's copies in flight go from 4,000 to 10,000 (at 4,000, 10^6 copies of ~3
# simulated minutes need ~13 h). EC2's 50 copies per (account, region) stay.
set -euo pipefail

IBSIM=${1:?usage: load-scale.sh IBSIM [--max COPIES | --only LABEL]}
MAX=2000000
ONLY=
if [[ ${2:-} == --max ]]; then
  MAX=${3:?--max COPIES}
elif [[ ${2:-} == --only ]]; then
  ONLY=${3:?--only LABEL}
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# label accounts regions images
RUNS=(
  "1e3 40 25 1"
  "1e4 400 25 1"
  "16k 1000 16 1"
  "1e5 1000 25 4"
  "1e6 1000 25 40"
)

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| workload | copies | events | wall s | user s | µs per copy (user) | peak RSS MiB | KiB per copy |"
echo "|---|---|---|---|---|---|---|---|"
for run in "${RUNS[@]}"; do
  read -r label accounts regions images <<<"$run"
  planned=$(( accounts * regions * images + (regions - 1) * images ))
  if (( planned > MAX )) || [[ -n $ONLY && $ONLY != "$label" ]]; then
    continue
  fi
  /usr/bin/time -v "$IBSIM" load --accounts "$accounts" --regions "$regions" --images "$images" \
      --per-distribution-cap 0 --engine-cap 10000 --seed 2026 --format json --no-progress \
      >"$OUT/report.json" 2>"$OUT/time.txt"
  python3 - "$label" "$accounts" "$regions" "$images" "$planned" "$OUT/report.json" "$OUT/time.txt" <<'PY'
import json, sys
label, a, r, i, planned, report_path, time_path = sys.argv[1:]
report = json.load(open(report_path))
fields = {}
for line in open(time_path):
    key, _, value = line.strip().partition(": ")
    fields[key] = value
wall = 0.0
for part in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
    wall = wall * 60 + float(part)
user = float(fields["User time (seconds)"])
rss = int(fields["Maximum resident set size (kbytes)"])
copies = report["copies"]["available"]
if copies != int(planned) or not report["finished"]:
    sys.exit(f"{label}: {copies} of {planned} copies available, finished {report['finished']}: "
             f"{report['failures_by_cause']}")
print(f"| {label}: {a} accounts x {r} regions x {i} images | {copies:,} | {report['events']:,} | "
      f"{wall:.2f} | {user:.2f} | {user / copies * 1e6:.1f} | {rss / 1024:.0f} | "
      f"{rss / copies:.2f} |")
PY
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
