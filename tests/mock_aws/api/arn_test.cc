#include "mock_aws/api/arn.h"

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::api {
namespace {

const AccountId kAccount = AccountId::from_valid("111122223333");
const Region kRegion = Region::from_known("us-west-2");

TEST_CASE("Arn: parses the six fields and keeps colons in the resource", "[api]") {
  const auto a = parse_arn("arn:aws:kms:us-west-2:111122223333:key/1234abcd");
  REQUIRE(a.ok());
  CHECK(a->partition == "aws");
  CHECK(a->service == "kms");
  CHECK(a->region == "us-west-2");
  CHECK(a->account == "111122223333");
  CHECK(a->resource == "key/1234abcd");
  CHECK(a->resource_type() == "key");
  CHECK(a->str() == "arn:aws:kms:us-west-2:111122223333:key/1234abcd");

  const auto odd = parse_arn("arn:aws:logs:us-east-1:111122223333:log-group:/aws/x:*");
  REQUIRE(odd.ok());
  CHECK(odd->resource == "log-group:/aws/x:*");
  CHECK(odd->resource_type() == "log-group");
}

TEST_CASE("Arn: rejects malformed text", "[api]") {
  for (const char* bad : {"",
                          "arn",
                          "arn:aws",
                          "arn:aws:iam::111122223333",
                          "arn::iam:::x",
                          "arn:aws::::x",
                          "arn:aws:iam::111122223333:",
                          "urn:aws:iam:::x"}) {
    CAPTURE(bad);
    const auto r = parse_arn(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidParameterValue");
  }
}

TEST_CASE("Arn: constructors follow AWS's formats", "[api]") {
  CHECK(root_arn(kAccount) == "arn:aws:iam::111122223333:root");
  CHECK(role_arn(kAccount, "/", "R") == "arn:aws:iam::111122223333:role/R");
  CHECK(role_arn(kAccount, "/a/b/", "R") == "arn:aws:iam::111122223333:role/a/b/R");
  CHECK(role_arn(kAccount, "", "R") == "arn:aws:iam::111122223333:role/R");
  CHECK(assumed_role_arn(kAccount, "R", "s") == "arn:aws:sts::111122223333:assumed-role/R/s");
  CHECK(aws_managed_policy_arn("/", "Ec2ImageBuilderCrossAccountDistributionAccess")
        == "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess");
  CHECK(kms_key_arn(kRegion, kAccount, "k1") == "arn:aws:kms:us-west-2:111122223333:key/k1");
  CHECK(kms_alias_arn(kRegion, kAccount, "alias/aws/ebs")
        == "arn:aws:kms:us-west-2:111122223333:alias/aws/ebs");
  CHECK(ec2_image_arn(kRegion, "ami-1") == "arn:aws:ec2:us-west-2::image/ami-1");
  CHECK(ec2_launch_template_arn(kRegion, kAccount, "lt-1")
        == "arn:aws:ec2:us-west-2:111122223333:launch-template/lt-1");
  const auto role = parse_arn(role_arn(kAccount, "/a/", "Name"));
  REQUIRE(role.ok());
  CHECK(role->resource_name() == "Name");
}

}  // namespace
}  // namespace ibsim::mock_aws::api
