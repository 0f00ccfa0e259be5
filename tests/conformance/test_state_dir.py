#!/usr/bin/env python3
"""`ibsim serve --state-dir`: nothing acknowledged is lost to kill -9.

Drives a mutating load with boto3 (IAM CreateRole, KMS CreateKey and Encrypt, EC2 CopyImage,
reads in between), records every acknowledged answer, kills the server with SIGKILL at seeded
random moments, restarts it on the same directory and checks that every acknowledged resource
exists with the same ids. Then: a copy in flight at the kill completes after the restart; a
journal ending in a torn record loads (and says so); flags that contradict the directory, and a
damaged record followed by intact ones, are refused with exit status 2.
"""
import os
import random
import signal
import subprocess
import threading
import time

import serve_harness as h

WORLD = "durable.json"
SOURCE = ("AKIASOURCEROOT000001", "sourceRootSecret")
TIME_SCALE = 600
KILL_ROUNDS = 5
ROUND_LOAD_S_MAX = 2.0  # Each round's load runs at most this long before its kill.
COPY_WAIT_S = 40  # A 48 GiB cross-region copy is ~52 virtual minutes: ~5 s at time scale 600.
LARGE_IMAGE = "ami-0a000000000000002"
SMALL_IMAGE = "ami-0a000000000000001"


def clients(url):
    import boto3
    from botocore.config import Config
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2,
                    read_timeout=15)
    session = boto3.session.Session(aws_access_key_id=SOURCE[0],
                                    aws_secret_access_key=SOURCE[1], region_name="us-east-1")
    return {
        "iam": session.client("iam", endpoint_url=url, config=config),
        "kms": session.client("kms", endpoint_url=url, config=config),
        "ec2": session.client("ec2", endpoint_url=url, config=config),
        "ec2_west": session.client("ec2", endpoint_url=url, config=config,
                                   region_name="us-west-2"),
    }


class Acked:
    """Every answer the server acknowledged: name -> the ids it returned."""

    def __init__(self):
        self.roles = {}   # RoleName -> RoleId
        self.keys = {}    # KeyId -> Arn
        self.images = {}  # ImageId in us-west-2 -> source image
        self.counter = 0


def run_load(c, acked, rng, stop_at):
    """Mutations and reads in a seeded mix until an error (the kill) or stop_at."""
    trust = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
             '{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
    done = 0
    while time.monotonic() < stop_at:
        acked.counter += 1
        n = acked.counter
        pick = rng.random()
        try:
            if pick < 0.4:
                name = "durable-%d" % n
                r = c["iam"].create_role(RoleName=name, AssumeRolePolicyDocument=trust)
                acked.roles[name] = r["Role"]["RoleId"]
            elif pick < 0.6:
                r = c["kms"].create_key(Description="key %d" % n)
                acked.keys[r["KeyMetadata"]["KeyId"]] = r["KeyMetadata"]["Arn"]
            elif pick < 0.7:
                r = c["ec2_west"].copy_image(SourceImageId=SMALL_IMAGE, SourceRegion="us-east-1",
                                             Name="copy-%d" % n)
                acked.images[r["ImageId"]] = SMALL_IMAGE
            elif pick < 0.85 and acked.keys:
                key = rng.choice(sorted(acked.keys))
                c["kms"].encrypt(KeyId=key, Plaintext=b"x" * 32)  # Draws an IV: a read.
            else:
                c["iam"].list_roles(MaxItems=5)
        except Exception:  # The kill: connection refused or reset. Unacknowledged.
            return done
        done += 1
    return done


def verify(c, acked, where):
    for name, role_id in acked.roles.items():
        got = c["iam"].get_role(RoleName=name)["Role"]["RoleId"]
        h.check(got == role_id, f"{where}: role {name} has id {got}, acknowledged {role_id}")
    for key_id, arn in acked.keys.items():
        got = c["kms"].describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
        h.check(got == arn, f"{where}: key {key_id} has ARN {got}, acknowledged {arn}")
    if acked.images:
        ids = sorted(acked.images)
        found = c["ec2_west"].describe_images(ImageIds=ids)["Images"]
        h.check(sorted(i["ImageId"] for i in found) == ids,
                f"{where}: acknowledged copies {ids}, found {[i['ImageId'] for i in found]}")


def kill9(server):
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=h.STOP_TIMEOUT_S)


def image_state(c, image_id):
    images = c["ec2_west"].describe_images(ImageIds=[image_id])["Images"]
    h.check(len(images) == 1, f"copy {image_id} is missing")
    return images[0]["State"]


def test(ibsim, _aws):
    rng = random.Random(20260107)
    acked = Acked()
    with h.temp_dir() as tmp:
        state = os.path.join(tmp, "state")
        extra = ["--state-dir", state]
        total_requests = 0

        # 1. Kill -9 at random moments during a mutating load; every acknowledged answer survives.
        for round_no in range(KILL_ROUNDS):
            # Every other restart leaves --world out: the directory keeps its own copy.
            world = WORLD if round_no % 2 == 0 else None
            with h.Server(ibsim, world=world, time_scale=TIME_SCALE, extra=extra) as server:
                c = clients(server.url)
                verify(c, acked, f"after restart {round_no}")
                kill_after = rng.uniform(0.2, ROUND_LOAD_S_MAX)
                timer = threading.Timer(kill_after, lambda: server.proc.send_signal(signal.SIGKILL))
                timer.start()
                total_requests += run_load(c, acked, rng, time.monotonic() + ROUND_LOAD_S_MAX + 5)
                timer.join()
                server.proc.wait(timeout=h.STOP_TIMEOUT_S)
                h.check(server.proc.returncode == -signal.SIGKILL,
                        f"round {round_no}: the server ended with {server.proc.returncode}, "
                        "not by the kill")
        h.check(total_requests > 0 and acked.roles and acked.keys,
                f"the load acknowledged too little to test: {total_requests} requests")

        # 2. A copy in flight at the kill completes after the restart.
        with h.Server(ibsim, world=WORLD, time_scale=TIME_SCALE, extra=extra) as server:
            c = clients(server.url)
            verify(c, acked, "before the in-flight copy")
            big = c["ec2_west"].copy_image(SourceImageId=LARGE_IMAGE, SourceRegion="us-east-1",
                                           Name="in-flight")["ImageId"]
            acked.images[big] = LARGE_IMAGE
            h.check(image_state(c, big) == "pending", "the large copy finished too soon to test")
            kill9(server)
        with h.Server(ibsim, time_scale=TIME_SCALE, extra=extra) as server:
            c = clients(server.url)
            verify(c, acked, "after the in-flight kill")
            h.check(image_state(c, big) == "pending",
                    "virtual time should not pass while the server is down")
            deadline = time.monotonic() + COPY_WAIT_S
            while image_state(c, big) != "available":
                h.check(time.monotonic() < deadline,
                        f"the copy in flight at the kill did not complete within {COPY_WAIT_S} s")
                time.sleep(0.2)
            server.stop()

        # 3. A journal ending in a torn record loads, and the tail is reported.
        journal = os.path.join(state, "journal")
        intact = os.path.getsize(journal)
        with open(journal, "ab") as f:
            f.write(b"\x40\x01\x00\x00\x12\x34\x56\x78\x01partial-record")
        with h.Server(ibsim, time_scale=TIME_SCALE, extra=extra) as server:
            c = clients(server.url)
            verify(c, acked, "after a torn tail")
            h.check(image_state(c, big) == "available", "the completed copy was lost")
            server.stop()
            err = server.proc.stderr.read()
        h.check("dropped a torn record" in err, f"the torn tail was not reported: {err!r}")
        h.check(os.path.getsize(journal) >= intact, "the intact journal was cut")

        # 4. Flags that contradict the directory are refused.
        for flags, words in ((["--seed", "2"], "--seed 2"), (["--auth", "lenient"], "--auth lenient")):
            p = subprocess.run([ibsim, "serve", "--port", "0", "--state-dir", state, *flags],
                               capture_output=True, text=True, timeout=h.READY_TIMEOUT_S)
            h.check(p.returncode == 2 and words in p.stderr,
                    f"serve {' '.join(flags)} on the directory: {p.returncode} {p.stderr!r}")
        # 5. A damaged record with intact ones after it is corruption: refused, naming the offset.
        with open(journal, "r+b") as f:
            f.seek(20)
            byte = f.read(1)
            f.seek(20)
            f.write(bytes([byte[0] ^ 1]))
        p = subprocess.run([ibsim, "serve", "--port", "0", "--state-dir", state],
                           capture_output=True, text=True, timeout=h.READY_TIMEOUT_S)
        h.check(p.returncode == 2 and "at byte offset 0 is damaged" in p.stderr,
                f"a corrupt journal: {p.returncode} {p.stderr!r}")
        print(f"{total_requests} requests over {KILL_ROUNDS} kills; acknowledged "
              f"{len(acked.roles)} roles, {len(acked.keys)} keys, {len(acked.images)} copies")


if __name__ == "__main__":
    h.main(test, needs_cli=False, needs_boto3=True)
