#!/usr/bin/env python3
"""The seed's exact commands from AWS's cross-account distribution page, run with the unmodified
AWS CLI against `ibsim serve`: create-distribution-configuration with --cli-input-json (the page's
JSON: targetAccountIds 123456789012 and 987654321098, AMI name `Name {{ imagebuilder:buildDate }}`,
region us-west-2), then get, list, update and delete; and an AMI name without the buildDate
placeholder rejected with AWS's message.

Usage: test_seed_commands.py PATH/TO/ibsim
"""
import serve_harness as h

# The JSON of AWS's page (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cross-account-dist.html).
PAGE_JSON = {
    "name": "cross-account-distribution-example",
    "description": "Cross Account Distribution Configuration Example",
    "distributions": [
        {
            "amiDistributionConfiguration": {
                "targetAccountIds": ["123456789012", "987654321098"],
                "name": "Name {{ imagebuilder:buildDate }}",
                "description": "ImageCopy Ami Copy Configuration",
            },
            "region": "us-west-2",
        }
    ],
}

SOURCE = "111122223333"
ARN = f"arn:aws:imagebuilder:us-west-2:{SOURCE}:distribution-configuration/cross-account-distribution-example"
NO_BUILD_DATE = ("The value supplied for parameter 'distributions[0].amiDistributionConfiguration.name' "
                 "is not valid. The EC2 AMI name must contain '{{ imagebuilder:buildDate }}' to "
                 "ensure that the name will be unique.")


def test(ibsim, aws):
    with h.temp_dir() as tmp, h.Server(ibsim, world="seed.json") as server:
        h.write_temp_json(tmp, "create-distribution-configuration.json", PAGE_JSON)
        cli = h.Cli(aws, server.url, "AKIASOURCEROOT000001", "sourceRootSecret", region="us-west-2")

        created = cli.run("imagebuilder", "create-distribution-configuration",
                          "--name", "cross-account-distribution-example",
                          "--cli-input-json", "file://create-distribution-configuration.json",
                          cwd=tmp)
        h.check(created["distributionConfigurationArn"] == ARN, f"create: {created}")
        h.check(created.get("requestId") and created.get("clientToken"), f"create: {created}")

        got = cli.run("imagebuilder", "get-distribution-configuration",
                      "--distribution-configuration-arn", ARN)["distributionConfiguration"]
        h.check(got["name"] == "cross-account-distribution-example", f"get: {got}")
        h.check(got["description"] == PAGE_JSON["description"], f"get: {got}")
        dist = got["distributions"][0]
        h.check(dist["region"] == "us-west-2", f"get: {dist}")
        ami = dist["amiDistributionConfiguration"]
        h.check(ami["targetAccountIds"] == ["123456789012", "987654321098"], f"get: {ami}")
        h.check(ami["name"] == "Name {{ imagebuilder:buildDate }}", f"get: {ami}")
        h.check(got["dateCreated"].endswith("Z"), f"dateCreated: {got['dateCreated']}")

        listed = cli.run("imagebuilder", "list-distribution-configurations")
        arns = [s["arn"] for s in listed["distributionConfigurationSummaryList"]]
        h.check(arns == [ARN], f"list: {listed}")

        updated_distributions = [dict(PAGE_JSON["distributions"][0])]
        updated_distributions[0] = {
            "region": "us-west-2",
            "amiDistributionConfiguration": {
                "targetAccountIds": ["123456789012"],
                "name": "Updated {{ imagebuilder:buildDate }}",
            },
        }
        h.write_temp_json(tmp, "distributions.json", updated_distributions)
        cli.run("imagebuilder", "update-distribution-configuration",
                "--distribution-configuration-arn", ARN,
                "--description", "one target only",
                "--distributions", "file://distributions.json", cwd=tmp)
        got = cli.run("imagebuilder", "get-distribution-configuration",
                      "--distribution-configuration-arn", ARN)["distributionConfiguration"]
        h.check(got["description"] == "one target only", f"after update: {got}")
        h.check(got["distributions"][0]["amiDistributionConfiguration"]["targetAccountIds"]
                == ["123456789012"], f"after update: {got}")
        h.check("dateUpdated" in got, f"after update: {got}")

        deleted = cli.run("imagebuilder", "delete-distribution-configuration",
                          "--distribution-configuration-arn", ARN)
        h.check(deleted["distributionConfigurationArn"] == ARN, f"delete: {deleted}")
        cli.run("imagebuilder", "get-distribution-configuration",
                "--distribution-configuration-arn", ARN, expect_error="ResourceNotFoundException")

        bad = dict(PAGE_JSON)
        bad["distributions"] = [{
            "region": "us-west-2",
            "amiDistributionConfiguration": {"targetAccountIds": ["123456789012"],
                                             "name": "Name without a date"},
        }]
        h.write_temp_json(tmp, "no-build-date.json", bad)
        error = cli.run("imagebuilder", "create-distribution-configuration",
                        "--name", "cross-account-distribution-example",
                        "--cli-input-json", "file://no-build-date.json",
                        cwd=tmp, expect_error="InvalidParameterValueException")
        h.check(NO_BUILD_DATE in error, f"buildDate message: {error}")


if __name__ == "__main__":
    h.main(test)
