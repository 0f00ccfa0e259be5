#!/usr/bin/env python3
"""A full cross-account, encrypted Image Builder distribution driven only by the AWS CLI against
`ibsim serve` (large --time-scale, so a build and its copies take seconds):

  target accounts   iam create-role EC2ImageBuilderDistributionCrossAccountRole (trust policy),
                    attach-role-policy Ec2ImageBuilderCrossAccountDistributionAccess,
                    put-role-policy (the page's inline KMS policy)
  source account    kms create-key / put-key-policy / create-alias (build key and destination key,
                    both naming the target accounts), an instance profile for the build, a recipe
                    on the AWS-managed parent image with an encrypted block device, an
                    infrastructure configuration, two distribution configurations, create-image
  then              get-image polled to AVAILABLE, and describe-images in the target account showing
                    the copy under the destination key.

The same flow runs side by side for a second target whose role trusts the wrong account: that
image ends FAILED with Image Builder's reason ("Not all distribution jobs are completed ...").
Independent setup chains run in parallel to keep the wall time down.

Usage: test_cross_account_flow.py PATH/TO/ibsim
"""
import concurrent.futures
import json
import time

import serve_harness as h

SOURCE = "111122223333"
TARGET = "444455556666"
BROKEN = "777788889999"
REGION = "us-west-2"
ROLE = "EC2ImageBuilderDistributionCrossAccountRole"
PARENT = f"arn:aws:imagebuilder:{REGION}:aws:image/amazon-linux-2023-x86/x.x.x"
COMPONENT = f"arn:aws:imagebuilder:{REGION}:aws:component/update-linux/x.x.x"
# Virtual seconds per wall second: a build (about 45 virtual minutes) takes about a second.
TIME_SCALE = 3000
BUILD_WAIT_S = 90  # Bound on polling; the build normally ends within a few seconds.
POLL_INTERVAL_S = 0.5

KMS_INLINE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                   "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        "Resource": "*",
    }],
}


def trust(account):
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "sts:AssumeRole"}]}


def key_policy(users):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{SOURCE}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Allow use of the key by the target accounts", "Effect": "Allow",
         "Principal": {"AWS": [f"arn:aws:iam::{u}:root" for u in users]},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                    "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
         "Resource": "*"},
    ]}


def set_up_target(cli, tmp, trusted):
    """What the target account's owner does (AWS's page, step 1)."""
    trust_file = h.write_temp_json(tmp, f"trust-{trusted}-{id(cli)}.json", trust(trusted))
    cli.run("iam", "create-role", "--role-name", ROLE,
            "--assume-role-policy-document", f"file://{trust_file}")
    cli.run("iam", "attach-role-policy", "--role-name", ROLE, "--policy-arn",
            "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess")
    kms_file = h.write_temp_json(tmp, f"kms-{id(cli)}.json", KMS_INLINE_POLICY)
    cli.run("iam", "put-role-policy", "--role-name", ROLE, "--policy-name", "ImageBuilderKms",
            "--policy-document", f"file://{kms_file}")


def make_key(cli, tmp, alias):
    key = cli.run("kms", "create-key", "--description", alias, region=REGION)["KeyMetadata"]
    policy_file = h.write_temp_json(tmp, f"key-policy-{alias}.json", key_policy([TARGET, BROKEN]))
    cli.run("kms", "put-key-policy", "--key-id", key["KeyId"], "--policy-name", "default",
            "--policy", f"file://{policy_file}", region=REGION)
    cli.run("kms", "create-alias", "--alias-name", f"alias/{alias}", "--target-key-id",
            key["KeyId"], region=REGION)
    return key["Arn"]


def make_instance_profile(cli, tmp):
    ec2_trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole"}]}
    trust_file = h.write_temp_json(tmp, "ec2-trust.json", ec2_trust)
    cli.run("iam", "create-role", "--role-name", "ImageBuilderInstanceRole",
            "--assume-role-policy-document", f"file://{trust_file}")
    cli.run("iam", "attach-role-policy", "--role-name", "ImageBuilderInstanceRole",
            "--policy-arn", "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder")
    cli.run("iam", "create-instance-profile", "--instance-profile-name", "ImageBuilderInstance")
    cli.run("iam", "add-role-to-instance-profile", "--instance-profile-name",
            "ImageBuilderInstance", "--role-name", "ImageBuilderInstanceRole")


def distribution(cli, tmp, name, target, key_arn):
    config = {"name": name, "distributions": [{
        "region": REGION,
        "amiDistributionConfiguration": {
            "name": "app {{ imagebuilder:buildDate }}",
            "kmsKeyId": key_arn,
            "targetAccountIds": [target],
        }}]}
    path = h.write_temp_json(tmp, f"{name}.json", config)
    return cli.run("imagebuilder", "create-distribution-configuration",
                   "--cli-input-json", f"file://{path}",
                   region=REGION)["distributionConfigurationArn"]


def wait_for(cli, arn):
    deadline = time.monotonic() + BUILD_WAIT_S
    while True:
        image = cli.run("imagebuilder", "get-image", "--image-build-version-arn", arn,
                        region=REGION)["image"]
        status = image["state"]["status"]
        if status in ("AVAILABLE", "FAILED", "CANCELLED"):
            return image
        h.check(time.monotonic() < deadline,
                f"{arn} still {status} after {BUILD_WAIT_S}s of polling")
        time.sleep(POLL_INTERVAL_S)


def test(ibsim, aws):
    with h.temp_dir() as tmp, h.Server(ibsim, world="flow.json", time_scale=TIME_SCALE) as server:
        source = h.Cli(aws, server.url, "AKIASOURCEROOT000001", "sourceRootSecret", region=REGION)
        target = h.Cli(aws, server.url, "AKIATARGETROOT000001", "targetRootSecret", region=REGION)
        broken = h.Cli(aws, server.url, "AKIABROKENROOT000001", "brokenRootSecret", region=REGION)

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            jobs = [
                pool.submit(set_up_target, target, tmp, SOURCE),
                pool.submit(set_up_target, broken, tmp, TARGET),  # Trusts the wrong account.
                pool.submit(make_key, source, tmp, "image-build"),
                pool.submit(make_key, source, tmp, "image-distribution"),
                pool.submit(make_instance_profile, source, tmp),
            ]
            results = [j.result() for j in jobs]
        build_key, dest_key = results[2], results[3]

        bdm = [{"deviceName": "/dev/xvda",
                "ebs": {"encrypted": True, "kmsKeyId": build_key, "volumeSize": 8,
                        "volumeType": "gp3", "deleteOnTermination": True}}]
        bdm_file = h.write_temp_json(tmp, "bdm.json", bdm)
        recipe = source.run("imagebuilder", "create-image-recipe", "--name", "app",
                            "--semantic-version", "1.0.0", "--parent-image", PARENT,
                            "--components", f"componentArn={COMPONENT}",
                            "--block-device-mappings", f"file://{bdm_file}",
                            region=REGION)["imageRecipeArn"]
        infra = source.run("imagebuilder", "create-infrastructure-configuration",
                           "--name", "app-infra", "--instance-profile-name",
                           "ImageBuilderInstance", region=REGION)["infrastructureConfigurationArn"]
        good_dist = distribution(source, tmp, "app-dist", TARGET, dest_key)
        broken_dist = distribution(source, tmp, "app-broken-dist", BROKEN, dest_key)

        def create_image(dist):
            return source.run("imagebuilder", "create-image", "--image-recipe-arn", recipe,
                              "--infrastructure-configuration-arn", infra,
                              "--distribution-configuration-arn", dist,
                              "--image-tests-configuration", "imageTestsEnabled=false",
                              region=REGION)["imageBuildVersionArn"]

        good_arn = create_image(good_dist)
        broken_arn = create_image(broken_dist)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            good_future = pool.submit(wait_for, source, good_arn)
            broken_future = pool.submit(wait_for, source, broken_arn)
            good, bad = good_future.result(), broken_future.result()

        h.check(good["state"]["status"] == "AVAILABLE",
                f"good image: {json.dumps(good['state'])}")
        amis = good["outputResources"]["amis"]
        copy = [a for a in amis if a.get("accountId") == TARGET and a["region"] == REGION]
        h.check(len(copy) == 1, f"output AMIs: {amis}")
        seen = target.run("ec2", "describe-images", "--image-ids", copy[0]["image"])["Images"]
        h.check(len(seen) == 1 and seen[0]["OwnerId"] == TARGET, f"describe-images: {seen}")
        h.check(seen[0]["State"] == "available", f"describe-images: {seen}")
        ebs = seen[0]["BlockDeviceMappings"][0]["Ebs"]
        h.check(ebs.get("Encrypted") is True and ebs.get("KmsKeyId") == dest_key,
                f"the target's copy is not under the destination key {dest_key}: {ebs}")

        h.check(bad["state"]["status"] == "FAILED", f"broken image: {json.dumps(bad['state'])}")
        reason = bad["state"].get("reason", "")
        for part in ("Distribution failed with JobId '", "Not all distribution jobs are completed.",
                     "is not authorized to perform: sts:AssumeRole on resource: "
                     f"arn:aws:iam::{BROKEN}:role/{ROLE}",
                     f"to the destination account (ID: {BROKEN}) in Region {REGION}"):
            h.check(part in reason, f"FAILED reason lacks {part!r}: {reason}")


if __name__ == "__main__":
    h.main(test)
