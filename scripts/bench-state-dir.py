#!/usr/bin/env python3
"""Measures what `ibsim serve --state-dir` costs: requests/s of a mutating workload (KMS
CreateKey, SigV4-signed by botocore, sent over keep-alive HTTP connections) with and without a
state directory, and the restart (replay) time of the journal that load left behind.

Usage: bench-state-dir.py PATH/TO/ibsim [--requests N] [--clients C]
Prints one line per configuration; docs/serve.md ("State directory") quotes the figures.
"""
import argparse
import http.client
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.join(HERE, "..", "tests", "conformance", "worlds", "durable.json")
READY = re.compile(r"^ibsim serve: listening on http://([0-9.]+):(\d+) ")
CREDENTIALS = Credentials("AKIASOURCEROOT000001", "sourceRootSecret")


def start(ibsim, extra):
    proc = subprocess.Popen([ibsim, "serve", "--port", "0", "--world", WORLD, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    line = proc.stdout.readline() if ready else ""
    m = READY.match(line)
    if not m:
        proc.kill()
        sys.exit("not ready: %r %s" % (line, proc.stderr.read()))
    return proc, m.group(1), int(m.group(2))


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    return proc.stderr.read()


def client_loop(host, port, count, errors):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    url = "http://%s:%d/" % (host, port)
    for i in range(count):
        body = json.dumps({"Description": "bench %d" % i})
        req = AWSRequest(method="POST", url=url, data=body, headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "TrentService.CreateKey"})
        SigV4Auth(CREDENTIALS, "kms", "us-east-1").add_auth(req)
        conn.request("POST", "/", body=body, headers=dict(req.headers.items()))
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            errors.append(resp.status)
    conn.close()


def run_load(host, port, requests, clients):
    errors = []
    per = requests // clients
    threads = [threading.Thread(target=client_loop, args=(host, port, per, errors))
               for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    if errors:
        sys.exit("errors: %s" % errors[:5])
    return per * clients / took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ibsim")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ibsim-bench-") as tmp:
        for label, extra in (("in memory", []),
                             ("--state-dir", ["--state-dir", os.path.join(tmp, "state")])):
            proc, host, port = start(args.ibsim, extra)
            rate = run_load(host, port, args.requests, args.clients)
            stop(proc)
            print("%-12s %d CreateKey requests, %d client(s): %.0f requests/s"
                  % (label, args.requests, args.clients, rate))
        started = time.monotonic()
        proc, _, _ = start(args.ibsim, ["--state-dir", os.path.join(tmp, "state")])
        ready_s = time.monotonic() - started
        err = stop(proc)
        restored = [line for line in err.splitlines() if "restored" in line]
        print("restart: ready after %.2f s; %s" % (ready_s, restored[0] if restored else err))


if __name__ == "__main__":
    main()
