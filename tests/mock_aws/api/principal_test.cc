#include "mock_aws/api/principal.h"

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::api {
namespace {

TEST_CASE("Principal: a session reports its session ARN but matches as its role", "[api]") {
  const AccountId acct = AccountId::from_valid("444455556666");
  const Principal p = Principal::assumed_role(acct,
                                              "EC2ImageBuilderDistributionCrossAccountRole",
                                              "/service/",
                                              "ImageBuilder",
                                              "AROAEXAMPLE");
  CHECK(p.arn ==
        "arn:aws:sts::444455556666:assumed-role/EC2ImageBuilderDistributionCrossAccountRole/"
        "ImageBuilder");
  CHECK(p.principal_arn()
        == "arn:aws:iam::444455556666:role/service/EC2ImageBuilderDistributionCrossAccountRole");
  CHECK(p.unique_id == "AROAEXAMPLE:ImageBuilder");
  CHECK(to_string(p.kind) == "assumed-role");
}

TEST_CASE("Principal: root users and services", "[api]") {
  const Principal root = Principal::root(AccountId::from_valid("111122223333"));
  CHECK(root.arn == "arn:aws:iam::111122223333:root");
  CHECK(root.principal_arn() == root.arn);
  const Principal svc = Principal::service("imagebuilder.amazonaws.com");
  CHECK(svc.account.empty());
  CHECK(svc.arn == "imagebuilder.amazonaws.com");
}

}  // namespace
}  // namespace ibsim::mock_aws::api
