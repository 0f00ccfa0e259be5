#!/usr/bin/env python3
"""Runs the built `ibsim explain` on sample inputs: single requests, --jsonl with malformed lines,
--world questions (trust policy from the world, missing role, SCPs, context keys), bad usage.
Every case checks the exit status and parts of the answer; nothing may crash (exit >= 3 or a
signal fails the test).

Usage: explain_cli_test.py IBSIM_BINARY
"""
import json
import os
import subprocess
import sys
import tempfile

IBSIM = sys.argv[1]
FAILURES = []

ALLOW_KMS = {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}

WORLD = {
    "regions": ["us-east-1", "us-west-2"],
    "accounts": {
        "111122223333": {
            "name": "source",
            "users": {
                "pipeline": {
                    "inlinePolicies": {"Tags": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Action": "ec2:CreateTags",
                        "Resource": "arn:aws:ec2:*:*:launch-template/*",
                        "Condition": {"StringEquals": {"aws:RequestTag/CreatedBy": "EC2 Image Builder"}}}]}},
                    "tags": {"team": "platform"},
                },
                "admin": {"attachedPolicies": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
            },
        },
        "444455556666": {
            "name": "target",
            "roles": {
                "EC2ImageBuilderDistributionCrossAccountRole": {
                    "trustPolicy": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                        "Action": "sts:AssumeRole"}]},
                    "attachedPolicies": [
                        "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess"],
                },
            },
            "serviceControlPolicies": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}],
        },
    },
}

SLR = ("arn:aws:iam::111122223333:role/aws-service-role/imagebuilder.amazonaws.com/"
       "AWSServiceRoleForImageBuilder")
XROLE = "arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole"


def run(args, stdin=""):
    p = subprocess.run([IBSIM, "explain", *args], input=stdin.encode(), capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check(name, condition, detail=""):
    if not condition:
        FAILURES.append(f"{name}: {detail}")


def expect(name, args, stdin="", status=0):
    code, out, err = run(args, stdin)
    check(name, code == status, f"exit {code}, expected {status}; stdout={out[:400]} stderr={err[:400]}")
    return out, err


def main():
    # One request on stdin, pretty answer.
    request = {"principal": "arn:aws:iam::111122223333:user/bob", "action": "kms:Decrypt",
               "resource": "arn:aws:kms:us-east-1:111122223333:key/k",
               "identityPolicies": [ALLOW_KMS]}
    out, _ = expect("single allow", [], json.dumps(request))
    answer = json.loads(out)
    check("single allow", answer["decision"] == "Allow", out)
    request["identityPolicies"] = []
    out, _ = expect("single deny", [], json.dumps(request))
    answer = json.loads(out)
    check("single deny", answer["decision"] == "ImplicitDeny", out)
    check("single deny message", answer["message"].endswith(
        "because no identity-based policy allows the kms:Decrypt action"), out)
    check("single deny fixes", len(answer["explanation"]["fixes"]) >= 1, out)

    # Malformed single requests: an error object and exit 2.
    for name, text in [("empty", ""), ("not json", "{nope"), ("array", "[]"),
                       ("missing action", '{"principal": "111122223333"}'),
                       ("unknown field", '{"principal": "111122223333", "action": "s3:Get", "x": 1}'),
                       ("deep", "[" * 5000 + "]" * 5000)]:
        out, _ = expect(f"malformed {name}", [], text, status=2)
        check(f"malformed {name}", "error" in json.loads(out), out)
    out, _ = expect("too long", [], "{" + " " * (1 << 21) + "}", status=2)
    check("too long", "longer than" in out, out[:200])

    # --jsonl: one answer per line, bad lines answered with errors, exit 2 at the end.
    lines = [json.dumps({**request, "identityPolicies": [ALLOW_KMS]}),
             "",
             "{broken",
             json.dumps(request),
             "\"just a string\"",
             json.dumps({"principal": "arn:aws:iam::111122223333:user/bob", "action": "kms:Decrypt",
                         "identityPolicies": [{"Version": "2012-10-17", "Statement": [{
                             "Effect": "Allow", "Principal": "*", "Action": "kms:*",
                             "Resource": "*"}]}]})]
    out, _ = expect("jsonl", ["--jsonl"], "\n".join(lines) + "\n", status=2)
    answers = [json.loads(line) for line in out.splitlines()]
    check("jsonl count", len(answers) == 5, out)
    if len(answers) == 5:
        check("jsonl 1", answers[0]["decision"] == "Allow", out)
        check("jsonl 2", "error" in answers[1], out)
        check("jsonl 3", answers[2]["decision"] == "ImplicitDeny", out)
        check("jsonl 4", answers[3]["error"]["code"] == "InvalidInput", out)
        check("jsonl 5", answers[4]["error"]["code"] == "MalformedPolicyDocument", out)
    out, _ = expect("jsonl all good", ["--jsonl"], lines[0] + "\n" + lines[3])  # No final newline.
    check("jsonl all good", len(out.splitlines()) == 2, out)
    out, _ = expect("jsonl binary", ["--jsonl"], "\x00\xff\xfe\n{}\n", status=2)
    check("jsonl binary", len(out.splitlines()) == 2, out)

    with tempfile.TemporaryDirectory() as tmp:
        world = os.path.join(tmp, "world.json")
        with open(world, "w") as f:
            json.dump(WORLD, f)

        # The SLR session assumes the cross-account role: trust from the world, SLR policy allows.
        out, _ = expect("world assume", ["--world", world, "--principal", SLR,
                                          "--action", "sts:AssumeRole", "--resource", XROLE])
        answer = json.loads(out)
        check("world assume", answer["decision"] == "Allow", out)
        check("world assume kind", answer["explanation"]["resourcePolicy"]["kind"] == "trust", out)

        # The pipeline user may not (no identity allow for the cross-account role).
        out, _ = expect("world assume denied",
                        ["--world", world, "--principal", "arn:aws:iam::111122223333:user/pipeline",
                         "--action", "sts:AssumeRole", "--resource", XROLE])
        answer = json.loads(out)
        check("world assume denied", answer["decision"] == "ImplicitDeny", out)
        check("world assume short message", answer["message"] ==
              "User: arn:aws:iam::111122223333:user/pipeline is not authorized to perform: "
              "sts:AssumeRole on resource: " + XROLE, out)

        # A role the world does not have: AccessDenied as STS says it.
        missing = "arn:aws:iam::444455556666:role/Missing"
        out, _ = expect("world missing role", ["--world", world, "--principal", SLR,
                                                "--action", "sts:AssumeRole", "--resource", missing])
        answer = json.loads(out)
        check("world missing role", answer["explanation"]["reason"] == "RoleDoesNotExist", out)

        # Context keys: the tag condition decides.
        lt = "arn:aws:ec2:us-east-1:111122223333:launch-template/lt-1"
        base = ["--world", world, "--principal", "arn:aws:iam::111122223333:user/pipeline",
                "--action", "ec2:CreateTags", "--resource", lt]
        out, _ = expect("world context deny", base)
        check("world context deny", json.loads(out)["decision"] == "ImplicitDeny", out)
        out, _ = expect("world context allow", base + [
            "--context", "aws:RequestTag/CreatedBy=EC2 Image Builder",
            "--context", "aws:TagKeys=CreatedBy", "--context", "aws:TagKeys=Name"])
        check("world context allow", json.loads(out)["decision"] == "Allow", out)

        # The target account's SCP denies key deletion even to its root.
        out, _ = expect("world scp", ["--world", world, "--principal", "444455556666",
                                       "--action", "kms:ScheduleKeyDeletion", "--resource",
                                       "arn:aws:kms:us-east-1:444455556666:key/k"])
        answer = json.loads(out)
        check("world scp", answer["decision"] == "ExplicitDeny", out)
        check("world scp message", answer["message"].endswith(
            "with an explicit deny in a service control policy"), out)

        # Managed policies resolve to their documents.
        out, _ = expect("world admin", ["--world", world, "--principal",
                                         "arn:aws:iam::111122223333:user/admin",
                                         "--action", "kms:Decrypt", "--resource",
                                         "arn:aws:kms:us-east-1:111122223333:key/k"])
        check("world admin", json.loads(out)["decision"] == "Allow", out)

        # Unknown principals and accounts, bad worlds.
        for name, principal in [("unknown user", "arn:aws:iam::111122223333:user/nobody"),
                                ("unknown account", "arn:aws:iam::999999999999:user/x"),
                                ("bad arn", "arn:nope")]:
            out, _ = expect(f"world {name}", ["--world", world, "--principal", principal,
                                               "--action", "s3:GetObject"], status=2)
            check(f"world {name}", "error" in json.loads(out), out)
        bad_world = os.path.join(tmp, "bad.json")
        with open(bad_world, "w") as f:
            f.write('{"accounts": {"111122223333": {"rolez": {}}}}')
        _, err = expect("bad world", ["--world", bad_world, "--principal", "111122223333",
                                      "--action", "s3:GetObject"], status=2)
        check("bad world", "$.accounts.111122223333.rolez: unknown key" in err, err)
        _, err = expect("missing world", ["--world", os.path.join(tmp, "none.json"),
                                          "--principal", "111122223333", "--action", "s3:Get"],
                        status=2)
        check("missing world", "cannot open" in err, err)

    # Bad usage.
    for name, args in [("unknown flag", ["--bogus"]), ("missing value", ["--world"]),
                       ("principal without world", ["--principal", "x"]),
                       ("world without action", ["--world", "w.json", "--principal", "p"]),
                       ("bad context", ["--world", "w", "--principal", "p", "--action", "a",
                                        "--context", "novalue"]),
                       ("jsonl with world", ["--jsonl", "--world", "w", "--principal", "p",
                                             "--action", "a"])]:
        _, err = expect(f"usage {name}", args, status=2)
        check(f"usage {name}", "ibsim explain:" in err, err)
    code, out, _ = run(["--help"])
    check("help", code == 0 and "--world FILE" in out and "Examples:" in out, out[:300])

    if FAILURES:
        print("\n".join(FAILURES))
        return 1
    print("explain CLI: all cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
