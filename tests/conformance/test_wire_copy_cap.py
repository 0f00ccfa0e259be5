#!/usr/bin/env python3
"""EC2's concurrent-copy cap as real clients see it: 12 concurrent boto3 CopyImage requests for
one (account, destination region) against `ibsim serve` with a cap of 5 (the world's
quotas.concurrentAmiCopiesPerAccountRegion). Exactly 5 are accepted; the other 7 are refused over
the wire with HTTP 400 ResourceLimitExceeded and EC2's message; once the accepted copies are
available the slots are free again and one more copy is accepted. The load version is
bench/wire-copy-load (docs/load-testing.md).

Usage: test_wire_copy_cap.py PATH/TO/ibsim
"""
import collections
import time
from concurrent.futures import ThreadPoolExecutor

import serve_harness as h

ROOT = ("AKIAOWNERROOT0000001", "ownerRootSecret")
SOURCE_IMAGE = "ami-0123456789abcdef0"
CAP = 5
REQUESTS = 12
# Virtual seconds per wall second: a copy takes at least 60 virtual seconds before data moves (2 s
# of wall time, far longer than the burst of requests, even under ASan on a loaded machine) and
# about 570 in all (~19 s), so no copy ends before the last request is answered.
TIME_SCALE = 30
WAIT_S = 80  # Wall seconds for the accepted copies to become available.


def test(ibsim, _aws):
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    # One attempt: botocore would retry some refusals itself.
    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=REQUESTS,
                    connect_timeout=10, read_timeout=30)
    with h.Server(ibsim, world="copy-cap.json", time_scale=TIME_SCALE) as server:
        ec2 = boto3.session.Session().client(
            "ec2", endpoint_url=server.url, region_name="us-west-2", aws_access_key_id=ROOT[0],
            aws_secret_access_key=ROOT[1], config=config)

        def copy(i):
            try:
                out = ec2.copy_image(Name=f"cap-{i:02d}", SourceImageId=SOURCE_IMAGE,
                                     SourceRegion="us-east-1")
                return ("accepted", out["ImageId"], None)
            except ClientError as e:
                return (e.response["Error"]["Code"],
                        e.response["ResponseMetadata"]["HTTPStatusCode"],
                        e.response["Error"].get("Message", ""))

        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            answers = list(pool.map(copy, range(REQUESTS)))
        counts = collections.Counter(a[0] for a in answers)
        h.check(counts == {"accepted": CAP, "ResourceLimitExceeded": REQUESTS - CAP},
                f"expected {CAP} accepted and {REQUESTS - CAP} ResourceLimitExceeded, got "
                f"{dict(counts)}")
        for code, status, message in answers:
            if code == "ResourceLimitExceeded":
                h.check(status == 400, f"ResourceLimitExceeded with HTTP {status}, expected 400")
                h.check(f"The limit is {CAP}" in message, f"unexpected message: {message!r}")

        accepted = [a[1] for a in answers if a[0] == "accepted"]
        deadline = time.monotonic() + WAIT_S
        states = {}
        while time.monotonic() < deadline:
            out = ec2.describe_images(ImageIds=accepted)
            states = {i["ImageId"]: i["State"] for i in out["Images"]}
            if len(states) == CAP and all(s == "available" for s in states.values()):
                break
            time.sleep(0.5)
        h.check(len(states) == CAP and all(s == "available" for s in states.values()),
                f"the accepted copies did not all become available within {WAIT_S} s: {states}")
        kind, image_id, _ = copy(REQUESTS)
        h.check(kind == "accepted", f"a copy after the others completed was refused: {kind}")
        print(f"{dict(counts)}; then {image_id} accepted once the {CAP} copies were available")


if __name__ == "__main__":
    h.main(test, needs_cli=False, needs_boto3=True)
