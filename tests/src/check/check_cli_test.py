#!/usr/bin/env python3
"""`ibsim check` end to end: the built binary on the sample files in fixtures/ — a setup with
problems (exit 1, text and JSON), the same setup with every proposed fix applied (exit 0), a
recipe, and malformed input of every kind (exit 2, the message names the file and JSON path).

Usage: check_cli_test.py IBSIM_BINARY FIXTURES_DIR
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []


def run(binary, *args):
    p = subprocess.run([binary, "check", *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def write(tmp, name, value):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(value if isinstance(value, str) else json.dumps(value, indent=2))
    return path


def apply_fix(world, fix):
    """The fixes the sample world needs, applied as a user would paste them."""
    kind = fix["kind"]
    if kind == "CreateRole":
        name = fix["policyOf"].rsplit("/", 1)[1]
        world["accounts"].setdefault(fix["account"], {}).setdefault("roles", {})[name] = {
            "trustPolicy": fix["statement"], "attachedPolicies": []}
        return True
    if kind == "AttachPolicy":
        name = fix["policyOf"].rsplit("/", 1)[1]
        role = world["accounts"][fix["account"]]["roles"][name]
        role.setdefault("attachedPolicies", []).append(fix["policy"])
        return True
    if kind == "TagResource":
        templates = world["accounts"][fix["account"]]["ec2"][fix["region"]]["launchTemplates"]
        for lt in templates.values():
            if fix["policyOf"].endswith("/" + lt["launchTemplateId"]):
                lt.setdefault("tags", {})[fix["statement"]["Key"]] = fix["statement"]["Value"]
                return True
        return False
    if kind == "AddPolicy":
        name = fix["policyOf"].rsplit("/", 1)[1]
        role = world["accounts"][fix["account"]]["roles"][name]
        policies = role.setdefault("inlinePolicies", {})
        policies["Fix%d" % (len(policies) + 1)] = fix["statement"]
        return True
    if kind != "AddStatement":
        return False
    if fix["side"] == "identity":
        name = fix["policyOf"].rsplit("/", 1)[1]
        role = world["accounts"][fix["account"]]["roles"][name]
        policies = role.setdefault("inlinePolicies", {})
        policies["Fix%d" % (len(policies) + 1)] = {
            "Version": "2012-10-17", "Statement": [fix["statement"]]}
        return True
    if ":kms:" in fix["policyOf"]:
        key_id = fix["policyOf"].rsplit("/", 1)[1]
        for region in world["accounts"][fix["account"]]["kms"].values():
            for key in region["keys"].values():
                if key.get("keyId") == key_id:
                    key["policy"]["Statement"].append(fix["statement"])
                    return True
        return False
    name = fix["policyOf"].rsplit("/", 1)[1]
    world["accounts"][fix["account"]]["roles"][name]["trustPolicy"]["Statement"].append(
        fix["statement"])
    return True


def main():
    binary, fixtures = sys.argv[1], sys.argv[2]
    world = os.path.join(fixtures, "world.json")
    dist = os.path.join(fixtures, "distribution.json")
    recipe = os.path.join(fixtures, "recipe.json")
    source = ["--source-image", "ami-0a0000000000000a1"]

    code, out, err = run(binary, "--help")
    expect(code == 0 and "Usage:" in out and "--distribution FILE" in out, "--help")

    # The sample setup: problems, exit 1, every one with a fix.
    code, out, err = run(binary, "--world", world, "--distribution", dist, *source)
    expect(code == 1, "problems exit 1, got %d: %s" % (code, err))
    for text in ("ERROR CrossAccountRoleMissing", "ERROR KeyPolicyDoesNotAllow",
                 "ERROR IdentityPolicyDoesNotAllow", "ERROR LaunchTemplateNotTagged",
                 "Fix:", "The distribution would fail"):
        expect(text in out, "text output shows %r" % text)

    code, out, err = run(binary, "--world", world, "--distribution", dist, *source,
                         "--format", "json")
    expect(code == 1, "json: exit 1")
    report = json.loads(out)
    expect(report["owner"] == "111122223333" and report["sourceRegion"] == "us-east-1",
           "inferred owner and region")
    expect(not report["ok"] and report["errors"] >= 4, "json counts errors")
    for p in report["problems"]:
        expect(p["fixes"], "problem %s has a fix" % p["code"])

    # Every fix applied, as pasted from the JSON, until the check is clean.
    fixed = json.load(open(world, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(4):
            for p in report["problems"]:
                if p["severity"] == "error":
                    for f in p["fixes"]:
                        apply_fix(fixed, f)
            path = write(tmp, "world-fixed.json", fixed)
            code, out, err = run(binary, "--world", path, "--distribution", dist, *source,
                                 "--format", "json")
            report = json.loads(out)
            if code == 0:
                break
        expect(code == 0 and report["ok"], "the fixed world checks clean: %s" % out[:2000])
        code, out, err = run(binary, "--world", path, "--distribution", dist, *source)
        expect(code == 0 and "The distribution would succeed" in out, "clean text output")

        # A recipe: the built AMI is under alias/east, whose policy does not allow the targets.
        code, out, err = run(binary, "--world", world, "--distribution", dist, "--recipe", recipe,
                             "--account", "111122223333", "--region", "us-east-1")
        expect(code == 1 and "recipe app" in out and "KeyPolicyDoesNotAllow" in out,
               "recipe check: %d %s" % (code, err))

        # Malformed input: exit 2, the file and the JSON path named, nothing on stdout.
        bad_json = write(tmp, "bad.json", '{"name": "golden", "distributions": [')
        code, out, err = run(binary, "--world", world, "--distribution", bad_json, *source)
        expect(code == 2 and bad_json in err and "not valid JSON" in err, "bad JSON: " + err)
        expect(out == "", "nothing on stdout for bad input")

        d = json.load(open(dist, encoding="utf-8"))
        typo = copy.deepcopy(d)
        typo["distributions"][1]["amiDistributionConfiguration"]["kmsKeyID"] = "x"
        path = write(tmp, "typo.json", typo)
        code, out, err = run(binary, "--world", world, "--distribution", path, *source)
        expect(code == 2 and "$.distributions[1].amiDistributionConfiguration.kmsKeyID: "
               "unknown key" in err, "unknown key: " + err)

        wrong = copy.deepcopy(d)
        wrong["distributions"][0]["amiDistributionConfiguration"]["targetAccountIds"] = 4
        path = write(tmp, "wrong.json", wrong)
        code, out, err = run(binary, "--world", world, "--distribution", path, *source)
        expect(code == 2 and "targetAccountIds: expected an array, got the number 4" in err,
               "wrong type: " + err)

        bad_world = write(tmp, "world-bad.json", '{"accounts": {"111122223333": {"rolez": {}}}}')
        code, out, err = run(binary, "--world", bad_world, "--distribution", dist, *source)
        expect(code == 2 and "world-bad.json" in err and "rolez" in err, "bad world: " + err)

        bad_recipe = write(tmp, "recipe-bad.json", '{"name": "app", "semanticVersion": "1.0.0"}')
        code, out, err = run(binary, "--world", world, "--distribution", dist, "--recipe",
                             bad_recipe, "--region", "us-east-1")
        expect(code == 2 and "recipe-bad.json: $: missing required key" in err,
               "bad recipe: " + err)

        code, out, err = run(binary, "--world", os.path.join(tmp, "missing.json"),
                             "--distribution", dist)
        expect(code == 2 and "cannot open" in err, "missing file: " + err)

    for args, what in (((), "no arguments"),
                       (("--world", world), "no --distribution"),
                       (("--world", world, "--distribution", dist, "--format", "xml"), "format"),
                       (("--world", world, "--distribution", dist, "--account", "12"), "account"),
                       (("--world", world, "--distribution", dist, "--account", "999999999999"),
                        "unknown account"),
                       (("--world", world, "--distribution", dist, "--region", "mars-1"),
                        "region"),
                       (("--world", world, "--distribution", dist, "--recipe", recipe,
                         "--source-image", "ami-0a0000000000000a1"), "recipe and image"),
                       (("--world", world, "--distribution", dist), "ambiguous region"),
                       (("--bogus",), "unknown option")):
        code, out, err = run(binary, *args)
        expect(code == 2 and err.startswith("ibsim check: "), "usage error (%s): %s" % (what, err))

    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
