#!/usr/bin/env python3
"""`ibsim load` end to end: the built binary on a small workload (text and JSON reports, the
chart as HTML and SVG, the Chrome trace), determinism across two runs, profile files, fault
flags, and malformed input (exit status 2 with the file and JSON path in the message).

Usage: load_cli_test.py IBSIM WORK_DIR
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(ibsim, *args):
    p = subprocess.run([ibsim, "load", *args], capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def main():
    ibsim, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    chart_html = os.path.join(work, "cli_load.html")
    chart_svg = os.path.join(work, "cli_load.svg")
    trace = os.path.join(work, "cli_load_trace.json")
    small = ["--accounts", "6", "--regions", "3", "--images", "2", "--seed", "9"]

    # Text report.
    code, out, err = run(ibsim, *small, "--no-progress")
    check(code == 0, f"text run exits 0 (got {code}: {err})")
    for needle in ("ibsim load: 6 accounts x 3 regions x 2 images", "makespan", "job completion",
                   "queue wait", "Concurrency", "Retries: 0", "Failures: 0", "trace hash"):
        check(needle in out, f"text report mentions {needle!r}")

    # JSON report, chart and trace; a second run is identical.
    code, out, err = run(ibsim, *small, "--format", "json", "--chart", chart_html, "--trace", trace)
    check(code == 0, f"json run exits 0 (got {code}: {err})")
    report = json.loads(out)
    check(report["finished"] is True, "the run finished")
    check(report["copies"]["available"] == 2 * (6 * 3 + 2), "every planned copy is available")
    check(report["job_completion"]["count"] == 40, "a completion time per copy job")
    for key in ("p50_s", "p95_s", "p99_s"):
        check(report["job_completion"][key] > 0, f"job completion {key} is positive")
    check(len(report["concurrency"]["regions"]) == 3, "three regions in the report")
    code2, out2, _ = run(ibsim, *small, "--format", "json")
    check(code2 == 0 and out2 == out, "the same seed gives the same JSON report")
    code3, out3, _ = run(ibsim, *small[:-1], "10", "--format", "json")
    check(json.loads(out3)["trace_hash"] != report["trace_hash"], "another seed, another hash")

    html = open(chart_html, encoding="utf-8").read()
    check(html.startswith("<!DOCTYPE html>"), "the chart is an HTML page")
    check("<script" not in html, "the chart has no scripts")
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    ET.fromstring(html[start:end])  # The inline SVG is well-formed XML.

    code, _, err = run(ibsim, *small, "--chart", chart_svg, "--no-progress")
    check(code == 0, "svg chart run exits 0")
    root = ET.parse(chart_svg).getroot()
    check(root.tag.endswith("svg"), "the .svg chart is an SVG document")

    events = json.load(open(trace, encoding="utf-8"))["traceEvents"]
    copies = [e for e in events if e["ph"] == "X" and e["cat"] == "copy"]
    check(len(copies) == 40, f"a copy span per copy in the trace (got {len(copies)})")
    check(any(e["ph"] == "M" and e["name"] == "process_name" and e["args"]["name"] == "us-east-1"
              for e in events), "a process per region in the trace")

    # A profile file with faults; flags override it.
    profile = os.path.join(work, "cli_profile.json")
    with open(profile, "w", encoding="utf-8") as f:
        json.dump({"accounts": 4, "regions": ["us-east-1", "eu-west-1"], "images": 1, "seed": 3,
                   "faults": {"rules": [{"name": "t", "match": {"service": "ec2",
                                                                "operation": "CopyImage"},
                                         "kind": "throttle", "probability": "1/2"}]}}, f)
    code, out, err = run(ibsim, profile, "--accounts", "5", "--format", "json")
    check(code == 0, f"profile run exits 0 (got {code}: {err})")
    report = json.loads(out)
    check(report["workload"]["accounts"] == 5, "a flag overrides the profile")
    check(report["retries"]["by_cause"].get("RequestLimitExceeded", 0) > 0,
          "the profile's throttling shows as retries")
    check(report["faults"]["rules"][0]["fired"] > 0, "the rule fired")

    # Fault flags.
    code, out, err = run(ibsim, "--accounts", "3", "--regions", "2", "--format", "json",
                         "--kms-throttle", "1/4", "--outage", "us-west-2,1m,1h",
                         "--delete-role", "target:1,0s")
    check(code == 0, f"fault flags run exits 0 (got {code}: {err})")
    report = json.loads(out)
    check(len(report["faults"]["outages"]) == 1, "the outage is reported")
    check(report["faults"]["world_events"][0]["outcome"] == "ok", "the role was deleted")
    # The deleted role fails target:1's jobs; the outage may reach its us-west-2 job first.
    causes = report["failures_by_cause"]
    check(causes.get("AssumeRole: AccessDenied", 0) >= 1, "the deleted role fails its jobs")
    check(sum(causes.values()) >= 2, f"both of target:1's jobs fail (got {causes})")

    # Bad input: exit 2, the file and the JSON path named.
    bad = os.path.join(work, "cli_bad_profile.json")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('{"accounts": 3, "regoins": 2}')
    code, _, err = run(ibsim, bad)
    check(code == 2, "a bad profile exits 2")
    check("cli_bad_profile.json: $.regoins: unknown key" in err, f"the path is named: {err}")
    code, _, err = run(ibsim, "--accounts", "many")
    check(code == 2 and "--accounts" in err, "a bad flag exits 2")
    code, _, err = run(ibsim, "--chart", "x.png")
    check(code == 2 and "--chart" in err, "a bad chart name exits 2")
    code, _, err = run(ibsim, os.path.join(work, "missing.json"))
    check(code == 2 and "cannot open" in err, "a missing profile exits 2")
    code, _, _ = run(ibsim, "--accounts", "2", "--regions", "2", "--virtual-time-max", "1m",
                     "--no-progress")
    check(code == 1, "a run stopped by its bound exits 1")
    code, out, _ = run(ibsim, "--help")
    check(code == 0 and "Usage:" in out, "--help prints the usage")

    for path in (chart_html, chart_svg, trace, profile, bad):
        if os.path.exists(path):
            os.remove(path)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("ibsim load end to end: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
