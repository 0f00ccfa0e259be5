#!/usr/bin/env python3
"""`ibsim run` end to end: exit statuses (0 pass, 1 failed expectation, 2 bad input), the JSON
report parsed by json, the JUnit report parsed by xml.etree, the Chrome trace's event shapes, and
every scenario file validated against scenarios/scenario.schema.json (when jsonschema is
installed).

Usage: run_cli_test.py IBSIM REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def run(ibsim, repo, *args):
    p = subprocess.run([ibsim, "run", *args], cwd=repo, capture_output=True, text=True,
                       timeout=600)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


def main():
    ibsim, repo = sys.argv[1], sys.argv[2]
    failing = "tests/src/scenario/data/failing-key-policy.json"
    bad = "tests/src/scenario/data/bad-input.json"

    code, out, err = run(ibsim, repo, "scenarios/seed")
    check(code == 0, f"the seed library passes (exit {code}):\n{out}\n{err}")
    check(" failed" in out.splitlines()[-1] and "0 failed" in out, "a summary line")

    code, out, _ = run(ibsim, repo, failing)
    check(code == 1, f"a failed expectation exits 1, got {code}")
    check(f"Replay: ibsim run {failing} --seed 7" in out, "the replay line")

    code, out, _ = run(ibsim, repo, failing, "--seed", "11")
    check(f"--seed 11" in out, "--seed overrides the file's seed")

    code, out, err = run(ibsim, repo, bad)
    check(code == 2, f"bad input exits 2, got {code}")
    check("$.steps[0].nte: unknown key 'nte'" in out, f"bad input names the path:\n{out}")

    code, _, _ = run(ibsim, repo, "no/such/path")
    check(code == 2, "a missing path exits 2")
    code, _, _ = run(ibsim, repo, failing, "--format", "yaml")
    check(code == 2, "an unknown format exits 2")

    code, out, _ = run(ibsim, repo, failing, "scenarios/seed/unencrypted-happy-path.json",
                       "--format", "json")
    check(code == 1, "json: exit 1")
    doc = json.loads(out)
    check(doc["summary"]["scenarios"] == 2 and doc["summary"]["failed"] == 1, "json summary")
    failed = [s for s in doc["scenarios"] if s["status"] == "fail"]
    check(failed and failed[0]["failures"][0]["explanations"], "json explanations")

    code, out, _ = run(ibsim, repo, failing, bad, "scenarios/seed/unencrypted-happy-path.json",
                       "--format", "junit")
    check(code == 2, "junit with bad input: exit 2")
    root = ET.fromstring(out)
    check(root.tag == "testsuites", "junit root")
    check(root.get("tests") == "3" and root.get("failures") == "1" and root.get("errors") == "1",
          f"junit counts {root.attrib}")
    cases = root.findall("./testsuite/testcase")
    check(len(cases) == 3, "three testcases")
    check(any(c.find("failure") is not None for c in cases), "a <failure>")
    check(any(c.find("error") is not None for c in cases), "an <error>")

    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.json")
        code, _, _ = run(ibsim, repo, failing, "scenarios/seed/unencrypted-happy-path.json",
                         "--trace", trace)
        check(code == 1, "trace run exit 1")
        with open(trace) as f:
            doc = json.load(f)
        events = doc["traceEvents"]
        check(len(events) > 0, "trace events")
        open_ids = {}
        for e in events:
            check(e["ph"] in ("M", "b", "e", "i"), f"phase {e['ph']}")
            check(isinstance(e["pid"], int) and isinstance(e["tid"], int), "pid/tid")
            check(isinstance(e["name"], str), "name")
            if e["ph"] == "M":
                check(e["name"] in ("process_name", "thread_name") and "name" in e["args"],
                      "metadata")
                continue
            check(isinstance(e["ts"], int) and e["ts"] >= 0, "ts")
            if e["ph"] in ("b", "e"):
                check(e["cat"] == "copy", "copy spans")
                open_ids[e["id"]] = open_ids.get(e["id"], 0) + (1 if e["ph"] == "b" else -1)
        check(open_ids and all(v == 0 for v in open_ids.values()), "balanced copy spans")
        tracks = {e["args"]["name"] for e in events if e["ph"] == "M"}
        check(any("account 444455556666" in t for t in tracks), "a track per account")
        check("us-west-2" in tracks, "a track per region")

    try:
        import jsonschema
    except ImportError:
        print("scenario files against the schema: skipped (python3-jsonschema not installed)")
        return 0
    with open(os.path.join(repo, "scenarios", "scenario.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    count = 0
    for folder, dirs, files in os.walk(os.path.join(repo, "scenarios")):
        dirs[:] = [d for d in dirs if d != "worlds"]
        for name in files:
            if name.endswith(".json") and ".schema." not in name:
                with open(os.path.join(folder, name)) as f:
                    jsonschema.validate(json.load(f), schema)
                count += 1
    check(count >= 16, f"validated {count} scenario files")
    print(f"ok: reports parse; {count} scenario files match the schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
