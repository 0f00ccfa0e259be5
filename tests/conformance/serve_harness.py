"""Shared pieces of the conformance tests: start `ibsim serve --port 0` with a world file, read the
port from its ready line, run the real AWS CLI (or boto3) against it, and always stop the server
by its PID with bounded waits.

Every test script takes the ibsim binary as its first argument and exits 0 (pass), 1 (fail) or
77 (skipped: the AWS CLI or boto3 is not installed), which ctest reports as skipped.
"""
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
WORLDS = os.path.join(HERE, "worlds")

READY_TIMEOUT_S = 30  # Generous for the ASan build on a loaded 2-core machine.
STOP_TIMEOUT_S = 10
CLI_TIMEOUT_S = 60
READY = re.compile(r"^ibsim serve: listening on http://([0-9.]+):(\d+) ")


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def find_aws_cli():
    """The `aws` executable of this Python installation (avoiding slow pyenv shims), else PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "aws")
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which("aws")


class Server:
    """`ibsim serve` on an ephemeral port; a context manager that always stops it by PID."""

    def __init__(self, ibsim, world=None, time_scale=1, auth="strict", extra=()):
        self.args = [ibsim, "serve", "--port", "0", "--time-scale", str(time_scale), "--auth", auth]
        if world:
            self.args += ["--world", os.path.join(WORLDS, world)]
        self.args += list(extra)
        self.proc = None
        self.url = None
        self.ready_line = None
        self.started_at = None

    def __enter__(self):
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        deadline = time.monotonic() + READY_TIMEOUT_S
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                break
            if self.proc.poll() is not None:
                break
        m = READY.match(line)
        if not m:
            err = ""
            if self.proc.poll() is not None:
                err = self.proc.stderr.read()
            self.stop()
            raise Failure(f"ibsim serve did not become ready: {line!r} {err}")
        self.ready_line = line.strip()
        self.url = f"http://{m.group(1)}:{m.group(2)}"
        return self

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT_S)
            raise Failure("ibsim serve did not stop within %ds of SIGTERM" % STOP_TIMEOUT_S)

    def __exit__(self, *exc):
        self.stop()
        return False


class Cli:
    """Runs the AWS CLI against a server as one set of credentials."""

    def __init__(self, aws, url, access_key_id, secret, region="us-east-1", session_token=None):
        self.aws = aws
        self.url = url
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "AWS_ACCESS_KEY_ID": access_key_id,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": region,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_PAGER": "",
            # One attempt: a test must see the first answer, not a retried one.
            "AWS_RETRY_MODE": "standard",
            "AWS_MAX_ATTEMPTS": "1",
        }
        if session_token:
            self.env["AWS_SESSION_TOKEN"] = session_token

    def run(self, *args, region=None, expect_error=None, cwd=None):
        """Runs `aws --endpoint-url URL ARGS --output json`. Returns the parsed output, or (with
        expect_error=CODE) the error text after checking it names CODE."""
        cmd = [self.aws, "--endpoint-url", self.url, "--output", "json", *args]
        if region:
            cmd += ["--region", region]
        p = subprocess.run(cmd, env=self.env, capture_output=True, text=True,
                           timeout=CLI_TIMEOUT_S, cwd=cwd)
        shown = " ".join(args[:2])
        if expect_error is not None:
            check(p.returncode != 0, f"aws {shown}: expected {expect_error}, got success: {p.stdout}")
            check(f"({expect_error})" in p.stderr,
                  f"aws {shown}: expected error {expect_error}, got: {p.stderr.strip()}")
            return p.stderr.strip()
        check(p.returncode == 0, f"aws {shown} failed ({p.returncode}): {p.stderr.strip()}")
        return json.loads(p.stdout) if p.stdout.strip() else {}


def main(test, needs_cli=True, needs_boto3=False):
    """Runs test(ibsim) with skip and failure handling; exits with the test's status."""
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: %s PATH/TO/ibsim" % os.path.basename(sys.argv[0]))
        sys.exit(2)
    aws = None
    if needs_cli:
        aws = find_aws_cli()
        if aws is None:
            print("SKIP: the AWS CLI (`aws`) is not installed")
            sys.exit(SKIP)
    if needs_boto3:
        try:
            import boto3  # noqa: F401
        except ImportError:
            print("SKIP: boto3 is not installed for %s" % sys.executable)
            sys.exit(SKIP)
    started = time.monotonic()
    try:
        test(sys.argv[1], aws)
    except Failure as e:
        print("FAIL: %s" % e)
        sys.exit(1)
    print("PASS (%.1f s)" % (time.monotonic() - started))
    sys.exit(0)


def write_temp_json(directory, name, value):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
    return path


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="ibsim-conformance-")
