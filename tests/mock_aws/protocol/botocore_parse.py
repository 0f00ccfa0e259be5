#!/usr/bin/env python3
"""Parses HTTP responses with botocore's own response parsers (the real clients' parsers).

Usage: botocore_parse.py MANIFEST.json
The manifest is a list of {"service", "version", "operation", "status", "headers": [[k, v]...],
"body_base64"}. Prints one JSON list with, per response, the dict botocore returns: blobs as
base64 text, timestamps as epoch seconds, ResponseMetadata reduced to its RequestId.
Exits 77 (skipped) when botocore is not importable.
"""
import base64
import datetime
import json
import sys

try:
    import botocore.awsrequest
    import botocore.loaders
    import botocore.model
    import botocore.parsers
except ImportError:
    print("SKIP: botocore is not importable")
    sys.exit(77)


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    loader = botocore.loaders.create_loader()
    results = []
    for case in manifest:
        raw = loader.load_service_model(case["service"], "service-2", case["version"])
        model = botocore.model.ServiceModel(raw, case["service"])
        operation = model.operation_model(case["operation"])
        parser = botocore.parsers.create_parser(model.metadata["protocol"])
        headers = botocore.awsrequest.HeadersDict()
        for name, value in case["headers"]:
            headers[name] = value
        response = {
            "status_code": case["status"],
            "headers": headers,
            "body": base64.b64decode(case["body_base64"]),
            "context": {"operation_name": case["operation"]},
        }
        parsed = parser.parse(response, operation.output_shape)
        metadata = parsed.pop("ResponseMetadata", {})
        parsed["RequestId"] = metadata.get("RequestId")
        results.append(plain(parsed))
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
