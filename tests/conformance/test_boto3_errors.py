#!/usr/bin/env python3
"""boto3 against `ibsim serve`: every service's errors, and the authentication errors of each
protocol family, parse into the botocore error codes and HTTP statuses AWS gives
(ClientError.response["Error"]["Code"] and ["ResponseMetadata"]["HTTPStatusCode"]); a request id
comes back on every answer. Also lenient auth: a 12-digit access key id acts as that account's
root.

Usage: test_boto3_errors.py PATH/TO/ibsim
"""
import serve_harness as h

SOURCE = "111122223333"
ROOT = ("AKIASOURCEROOT000001", "sourceRootSecret")
READONLY = ("AKIAREADONLY00000001", "readonlySecret")


def test(ibsim, _aws):
    import boto3
    import botocore
    from botocore.config import Config
    from botocore.exceptions import ClientError

    config = Config(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=30)
    unsigned = Config(signature_version=botocore.UNSIGNED, retries={"total_max_attempts": 1})
    failures = []

    def client(url, service, keys=ROOT, region="us-east-1", cfg=config):
        return boto3.session.Session().client(
            service, endpoint_url=url, region_name=region, aws_access_key_id=keys[0],
            aws_secret_access_key=keys[1], config=cfg)

    def expect(what, call, code, status):
        try:
            call()
        except ClientError as e:
            got = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
            if got != (code, status):
                failures.append(f"{what}: expected {code} {status}, got {got[0]} {got[1]} "
                                f"({e.response['Error'].get('Message')})")
            elif not e.response["ResponseMetadata"].get("RequestId"):
                failures.append(f"{what}: no request id in {e.response['ResponseMetadata']}")
            return
        except Exception as e:  # noqa: BLE001 - reported as a failure of this case
            failures.append(f"{what}: expected {code} {status}, got {type(e).__name__}: {e}")
            return
        failures.append(f"{what}: expected {code} {status}, the call succeeded")

    with h.Server(ibsim, world="errors.json") as server:
        url = server.url
        ec2, iam, sts = client(url, "ec2"), client(url, "iam"), client(url, "sts")
        kms, ssm, ib = client(url, "kms"), client(url, "ssm"), client(url, "imagebuilder")

        # Service errors, one or more per service.
        expect("ec2 DescribeImages", lambda: ec2.describe_images(
            ImageIds=["ami-0123456789abcdef0"]), "InvalidAMIID.NotFound", 400)
        expect("ec2 CopyImage malformed id", lambda: ec2.copy_image(
            Name="x-copy", SourceImageId="image-1", SourceRegion="us-east-1"),
            "InvalidAMIID.Malformed", 400)
        expect("iam GetRole", lambda: iam.get_role(RoleName="Nope"), "NoSuchEntity", 404)
        expect("iam CreateRole malformed policy", lambda: iam.create_role(
            RoleName="Bad", AssumeRolePolicyDocument="{}"), "MalformedPolicyDocument", 400)
        expect("sts AssumeRole", lambda: client(url, "sts", READONLY).assume_role(
            RoleArn=f"arn:aws:iam::{SOURCE}:role/Locked", RoleSessionName="session"),
            "AccessDenied", 403)
        expect("kms DescribeKey", lambda: kms.describe_key(KeyId="alias/missing"),
               "NotFoundException", 400)
        expect("kms CreateKey denied", lambda: client(url, "kms", READONLY).create_key(),
               "AccessDeniedException", 400)
        expect("kms Encrypt validation", lambda: kms.encrypt(KeyId="alias/x", Plaintext=b""),
               "ValidationException", 400)
        expect("imagebuilder GetImage", lambda: ib.get_image(
            imageBuildVersionArn=f"arn:aws:imagebuilder:us-east-1:{SOURCE}:image/nope/1.0.0/1"),
            "ResourceNotFoundException", 404)
        expect("imagebuilder CreateDistributionConfiguration", lambda:
               ib.create_distribution_configuration(
                   name="no-date", distributions=[{
                       "region": "us-east-1",
                       "amiDistributionConfiguration": {"name": "no date here"}}]),
               "InvalidParameterValueException", 400)
        expect("ssm GetParameter", lambda: ssm.get_parameter(Name="/missing"),
               "ParameterNotFound", 400)

        # Authentication, per protocol family.
        wrong = (ROOT[0], "not-the-secret")
        expect("kms bad signature", lambda: client(url, "kms", wrong).list_keys(),
               "InvalidSignatureException", 400)
        expect("sts bad signature", lambda: client(url, "sts", wrong).get_caller_identity(),
               "SignatureDoesNotMatch", 403)
        expect("ec2 bad signature", lambda: client(url, "ec2", wrong).describe_images(),
               "AuthFailure", 401)
        nobody = ("AKIANOBODY0000000000", "x")
        expect("kms unknown key", lambda: client(url, "kms", nobody).list_keys(),
               "UnrecognizedClientException", 400)
        expect("imagebuilder unknown key", lambda: client(url, "imagebuilder", nobody)
               .list_images(), "UnrecognizedClientException", 400)
        expect("ssm unknown key", lambda: client(url, "ssm", nobody).get_parameter(Name="/x"),
               "UnrecognizedClientException", 400)
        expect("iam unknown key", lambda: client(url, "iam", nobody).get_role(RoleName="x"),
               "InvalidClientTokenId", 403)
        expect("ec2 unknown key", lambda: client(url, "ec2", nobody).describe_images(),
               "AuthFailure", 401)
        expect("kms unsigned", lambda: client(url, "kms", cfg=unsigned).list_keys(),
               "MissingAuthenticationTokenException", 400)
        expect("sts unsigned", lambda: client(url, "sts", cfg=unsigned).get_caller_identity(),
               "MissingAuthenticationToken", 403)
        expect("kms account id under strict auth",
               lambda: client(url, "kms", (SOURCE, "anything")).list_keys(),
               "UnrecognizedClientException", 400)
        expect("ec2 region not in the world",
               lambda: client(url, "ec2", region="eu-central-1").describe_images(),
               "AuthFailure", 401)

        # A success parses too.
        who = sts.get_caller_identity()
        if who["Arn"] != f"arn:aws:iam::{SOURCE}:root":
            failures.append(f"sts GetCallerIdentity: {who}")

        # A user made over the wire (create-user, create-access-key) is denied until a policy is
        # attached (attach-user-policy) or put (put-user-policy), and denied again once detached.
        iam.create_user(UserName="wire-user")
        key = iam.create_access_key(UserName="wire-user")["AccessKey"]
        wire_iam = client(url, "iam", (key["AccessKeyId"], key["SecretAccessKey"]))
        expect("iam ListRoles before attach-user-policy", lambda: wire_iam.list_roles(),
               "AccessDenied", 403)
        admin = "arn:aws:iam::aws:policy/AdministratorAccess"
        iam.attach_user_policy(UserName="wire-user", PolicyArn=admin)
        attached = iam.list_attached_user_policies(UserName="wire-user")["AttachedPolicies"]
        if [p["PolicyArn"] for p in attached] != [admin]:
            failures.append(f"iam ListAttachedUserPolicies: {attached}")
        try:
            wire_iam.list_roles()
        except ClientError as e:
            failures.append(f"iam ListRoles after attach-user-policy: {e}")
        iam.detach_user_policy(UserName="wire-user", PolicyArn=admin)
        expect("iam ListRoles after detach-user-policy", lambda: wire_iam.list_roles(),
               "AccessDenied", 403)
        iam.put_user_policy(UserName="wire-user", PolicyName="list", PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles",'
            '"Resource":"*"}]}'))
        if iam.list_user_policies(UserName="wire-user")["PolicyNames"] != ["list"]:
            failures.append("iam ListUserPolicies: the put policy is missing")
        try:
            wire_iam.list_roles()
        except ClientError as e:
            failures.append(f"iam ListRoles after put-user-policy: {e}")
        expect("iam GetUserPolicy missing", lambda: iam.get_user_policy(
            UserName="wire-user", PolicyName="nope"), "NoSuchEntity", 404)
        expect("iam AttachUserPolicy missing user", lambda: iam.attach_user_policy(
            UserName="nobody-at-all", PolicyArn=admin), "NoSuchEntity", 404)
        expect("iam PutUserPolicy malformed", lambda: iam.put_user_policy(
            UserName="wire-user", PolicyName="bad", PolicyDocument="{}"),
            "MalformedPolicyDocument", 400)
        # An Inactive key fails authentication; a user with keys cannot be deleted.
        iam.update_access_key(UserName="wire-user", AccessKeyId=key["AccessKeyId"],
                              Status="Inactive")
        listed_keys = iam.list_access_keys(UserName="wire-user")["AccessKeyMetadata"]
        if [k["Status"] for k in listed_keys] != ["Inactive"]:
            failures.append(f"iam ListAccessKeys: {listed_keys}")
        expect("iam ListRoles with an Inactive key", lambda: wire_iam.list_roles(),
               "InvalidClientTokenId", 403)
        expect("iam DeleteUser with keys", lambda: iam.delete_user(UserName="wire-user"),
               "DeleteConflict", 409)
        iam.delete_access_key(UserName="wire-user", AccessKeyId=key["AccessKeyId"])
        iam.delete_user_policy(UserName="wire-user", PolicyName="list")
        iam.delete_user(UserName="wire-user")
        if any(u["UserName"] == "wire-user" for u in iam.list_users()["Users"]):
            failures.append("iam ListUsers: wire-user is still listed after DeleteUser")

    with h.Server(ibsim, world="errors.json", auth="lenient") as server:
        who = client(server.url, "sts", ("555566667777", "any secret")).get_caller_identity()
        if who["Arn"] != "arn:aws:iam::555566667777:root":
            failures.append(f"lenient: {who}")
        expect("lenient still verifies world keys",
               lambda: client(server.url, "sts", (ROOT[0], "wrong")).get_caller_identity(),
               "SignatureDoesNotMatch", 403)

    h.check(not failures, "\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    h.main(test, needs_cli=False, needs_boto3=True)
