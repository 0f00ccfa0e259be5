#include "mock_aws/policy/explain_json.h"

#include <string>

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::policy {
namespace {

using json = nlohmann::json;

json run(std::string_view line) {
  const std::string out = explain_line(line);
  const json parsed = json::parse(out, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

const char* const kKmsRequest = R"({
  "identityPolicies": [{"name": "inline:Kms", "policy": {"Version": "2012-10-17", "Statement": [
      {"Sid": "KmsUse", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"],
       "Resource": "*"}]}}],
  "resourcePolicy": {"Version": "2012-10-17", "Statement": [
      {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]},
  "resourcePolicyKind": "key",
  "principal": "arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole",
  "sessionName": "ImageBuilder",
  "action": "kms:Decrypt",
  "resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "context": {"kms:ViaService": "ec2.us-east-1.amazonaws.com", "kms:CallerAccount": "444455556666"}
})";

TEST_CASE("ExplainJson: a cross-account key policy denial with its fix", "[policy]") {
  const json out = run(kKmsRequest);
  CHECK(out["decision"] == "ImplicitDeny");
  CHECK(out["message"]
        == "User: arn:aws:sts::444455556666:assumed-role/EC2ImageBuilderDistributionCrossAccountRole/"
           "ImageBuilder is not authorized to perform: kms:Decrypt on resource: "
           "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no "
           "resource-based policy allows the kms:Decrypt action");
  const json& e = out["explanation"];
  CHECK(e["reason"] == "KeyPolicyDoesNotAllow");
  CHECK(e["crossAccount"] == true);
  CHECK(e["principal"]["principalArn"]
        == "arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole");
  CHECK(e["resourcePolicy"]["kind"] == "key");
  CHECK(e["resourcePolicy"]["grant"] == "None");
  REQUIRE(e["decidingStatements"].size() == 1);
  CHECK(e["decidingStatements"][0]["policy"] == "inline:Kms");
  CHECK(e["decidingStatements"][0]["sid"] == "KmsUse");
  REQUIRE(e["statements"].size() == 2);
  CHECK(e["statements"][0]["matches"]["principal"] == "None");
  REQUIRE(e["fixes"].size() == 1);
  CHECK(e["fixes"][0]["statement"]["Principal"]["AWS"] == "arn:aws:iam::444455556666:root");
  CHECK(e["fixes"][0]["policyOf"]
        == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
}

TEST_CASE("ExplainJson: policies as JSON strings and trust policies", "[policy]") {
  const json request = {
      {"trustPolicy",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"imagebuilder.amazonaws.com"},"Action":"sts:AssumeRole"}]})"},
      {"principal", "imagebuilder.amazonaws.com"},
      {"action", "sts:AssumeRole"},
      {"resource",
       "arn:aws:iam::111122223333:role/aws-service-role/imagebuilder.amazonaws.com/"
       "AWSServiceRoleForImageBuilder"},
  };
  sim::Result<json> out = explain_request(request);
  REQUIRE(out.ok());
  CHECK((*out)["decision"] == "Allow");
  CHECK((*out)["message"] == "");
  CHECK((*out)["explanation"]["allowedBy"] == "ResourcePolicyAllowsService");
  CHECK((*out)["explanation"]["resourcePolicy"]["kind"] == "trust");
}

TEST_CASE("ExplainJson: SCP levels boundaries session policies and context lists", "[policy]") {
  const json out = run(R"({
    "identityPolicies": [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}],
    "permissionBoundaries": [{"Statement": {"Effect": "Allow", "Action": ["ec2:*", "iam:*"], "Resource": "*"}}],
    "sessionPolicy": {"Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}},
    "serviceControlPolicies": [[{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}],
                               [{"name": "NoUntagged", "policy": {"Statement": [
                                  {"Effect": "Allow", "Action": "*", "Resource": "*"},
                                  {"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*",
                                   "Condition": {"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["CreatedBy", "Name"]}}}]}}]],
    "principal": "arn:aws:sts::444455556666:assumed-role/Distribution/ImageBuilder",
    "action": "ec2:CreateTags",
    "resource": "arn:aws:ec2:us-east-1::image/ami-0abc",
    "resourceAccount": "444455556666",
    "context": {"aws:TagKeys": ["CreatedBy", "Owner"], "aws:RequestTag/CreatedBy": "EC2 Image Builder"}
  })");
  CHECK(out["decision"] == "ExplicitDeny");
  CHECK(out["explanation"]["decidingStatements"][0]["side"] == "scp");
  CHECK(out["explanation"]["decidingStatements"][0]["policy"] == "NoUntagged");
  CHECK(out["message"]
        == "User: arn:aws:sts::444455556666:assumed-role/Distribution/ImageBuilder is not "
           "authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1::image/"
           "ami-0abc with an explicit deny in a service control policy");
  CHECK(out["explanation"]["fixes"][0]["kind"] == "RemoveDeny");
}

TEST_CASE("ExplainJson: numbers and booleans in the context are text", "[policy]") {
  const json out = run(R"({
    "identityPolicies": [{"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
       "Condition": {"NumericLessThanEquals": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}}}}],
    "principal": "arn:aws:iam::111122223333:user/alice",
    "action": "s3:ListBucket",
    "resource": "arn:aws:s3:::example_bucket",
    "context": {"s3:max-keys": 10, "aws:SecureTransport": true}
  })");
  CHECK(out["decision"] == "Allow");
  CHECK(out["explanation"]["allowedBy"] == "IdentityPolicy");
}

struct BadRequest {
  std::string_view name;
  std::string line;
  std::string_view code;
  std::string_view message;
};

TEST_CASE("ExplainJson: malformed requests are error values", "[policy]") {
  const std::string ok_tail =
      R"("principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject")";
  const BadRequest cases[] = {
      {"not JSON", "{\"principal\": ", "InvalidInput", "the request is not valid JSON: "},
      {"empty", "", "InvalidInput", "not valid JSON"},
      {"not an object", "[1, 2]", "InvalidInput", "must be a JSON object"},
      {"unknown field",
       "{" + ok_tail + R"(, "identityPolicy": []})",
       "InvalidInput",
       "unknown field \"identityPolicy\""},
      {"duplicate field",
       "{" + ok_tail + R"(, "action": "s3:PutObject"})",
       "InvalidInput",
       "duplicate key \"action\""},
      {"missing principal",
       R"({"action": "s3:GetObject"})",
       "InvalidInput",
       "principal is required"},
      {"principal not a string",
       R"({"principal": 7, "action": "s3:GetObject"})",
       "InvalidInput",
       "principal is required"},
      {"bad principal",
       R"({"principal": "bob", "action": "s3:GetObject"})",
       "InvalidInput",
       "is not an ARN, an account id or a service principal"},
      {"bad principal ARN",
       R"({"principal": "arn:aws:iam::12:user/a", "action": "s3:GetObject"})",
       "InvalidInput",
       "12-digit account"},
      {"group principal",
       R"({"principal": "arn:aws:iam::111122223333:group/g", "action": "s3:GetObject"})",
       "InvalidInput",
       "is not a user, role, root or assumed-role ARN"},
      {"bad session ARN",
       R"({"principal": "arn:aws:sts::111122223333:assumed-role/R", "action": "s3:GetObject"})",
       "InvalidInput",
       "assumed-role/ROLE/SESSION"},
      {"missing action", R"({"principal": "111122223333"})", "InvalidInput", "action is required"},
      {"action without service",
       R"({"principal": "111122223333", "action": "GetObject"})",
       "InvalidInput",
       "action is required"},
      {"identity policies not a list",
       "{" + ok_tail + R"(, "identityPolicies": {"Statement": []}})",
       "InvalidInput",
       "identityPolicies must be a list of policies"},
      {"policy is a number",
       "{" + ok_tail + R"(, "identityPolicies": [42]})",
       "InvalidInput",
       "identityPolicies[0] must be a policy object or a JSON string"},
      {"malformed identity policy",
       "{" + ok_tail
           + R"(, "identityPolicies": [{"Statement": {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}}]})",
       "MalformedPolicyDocument",
       "identityPolicies[0]: Statement[0].Effect must be \"Allow\" or \"Deny\""},
      {"policy string with bad JSON",
       "{" + ok_tail + R"(, "resourcePolicy": "{\"Statement\": ["})",
       "MalformedPolicyDocument",
       "resourcePolicy: Syntax errors in policy"},
      {"principal in identity policy",
       "{" + ok_tail
           + R"(, "identityPolicies": [{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}}]})",
       "MalformedPolicyDocument",
       "should not specify a principal"},
      {"named entry with extra field",
       "{" + ok_tail + R"(, "identityPolicies": [{"name": "x", "policy": {}, "extra": 1}]})",
       "InvalidInput",
       "unknown field \"extra\""},
      {"both resource and trust policies",
       "{" + ok_tail + R"(, "resourcePolicy": {}, "trustPolicy": {}})",
       "InvalidInput",
       "not both"},
      {"bad resource policy kind",
       "{" + ok_tail + R"(, "resourcePolicy": {}, "resourcePolicyKind": "bucket"})",
       "InvalidInput",
       "resourcePolicyKind must be"},
      {"kind without policy",
       "{" + ok_tail + R"(, "resourcePolicyKind": "key"})",
       "InvalidInput",
       "needs a resourcePolicy"},
      {"resource account not digits",
       "{" + ok_tail + R"(, "resourceAccount": "abc"})",
       "InvalidInput",
       "resourceAccount must be a 12-digit account id"},
      {"resource account mismatch",
       "{" + ok_tail
           + R"(, "resource": "arn:aws:kms:us-east-1:111122223333:key/k", "resourceAccount": "444455556666"})",
       "InvalidInput",
       "differs from the account"},
      {"context not an object",
       "{" + ok_tail + R"(, "context": ["a"]})",
       "InvalidInput",
       "context must be an object"},
      {"context value object",
       "{" + ok_tail + R"(, "context": {"aws:TagKeys": {"a": 1}}})",
       "InvalidInput",
       "context.aws:TagKeys must be a string"},
      {"context list of objects",
       "{" + ok_tail + R"(, "context": {"aws:TagKeys": [{"a": 1}]}})",
       "InvalidInput",
       "must hold only strings"},
      {"scp levels too deep",
       "{" + ok_tail + R"(, "serviceControlPolicies": [[[[[[[[[[[[1]]]]]]]]]]]]})",
       "InvalidInput",
       "nesting deeper than 12"},
      {"session name too short",
       "{" + ok_tail + R"(, "sessionName": "x"})",
       "InvalidInput",
       "sessionName must be 2 to 64 characters"},
      {"principal tags not strings",
       "{" + ok_tail + R"(, "principalTags": {"team": 1}})",
       "InvalidInput",
       "principalTags.team must be a string"},
  };
  for (const BadRequest& c : cases) {
    CAPTURE(c.name, c.line);
    const json out = run(c.line);
    REQUIRE(out.contains("error"));
    CHECK(out["error"]["code"] == c.code);
    CHECK_THAT(out["error"]["message"].get<std::string>(), Catch::Contains(std::string(c.message)));
  }
}

TEST_CASE("ExplainJson: limits on the line and on parsed values", "[policy]") {
  const std::string long_line(ExplainLimits::kLineBytesMax + 1, ' ');
  CHECK(run(long_line)["error"]["message"].get<std::string>().find("longer than")
        != std::string::npos);

  json deep = json::array();
  for (int i = 0; i < 50; ++i) {
    deep = json::array({deep});
  }
  const json request = {
      {"principal", "111122223333"}, {"action", "s3:GetObject"}, {"context", deep}};
  sim::Result<json> out = explain_request(request);
  REQUIRE_FALSE(out.ok());
  CHECK_THAT(out.error().message, Catch::Contains("nests deeper"));
  CHECK_FALSE(explain_request(json("text")).ok());
}

TEST_CASE("ExplainJson: principals of every form", "[policy]") {
  struct Case {
    std::string_view principal;
    std::string_view type;
    std::string_view arn;
  };

  const Case cases[] = {
      {"111122223333", "root", "arn:aws:iam::111122223333:root"},
      {"arn:aws:iam::111122223333:root", "root", "arn:aws:iam::111122223333:root"},
      {"arn:aws:iam::111122223333:user/dev/alice",
       "user",
       "arn:aws:iam::111122223333:user/dev/alice"},
      {"arn:aws:iam::111122223333:role/team/R",
       "assumed-role",
       "arn:aws:sts::111122223333:assumed-role/R/ibsim-explain"},
      {"arn:aws:sts::111122223333:assumed-role/R/s",
       "assumed-role",
       "arn:aws:sts::111122223333:assumed-role/R/s"},
      {"imagebuilder.amazonaws.com", "service", "imagebuilder.amazonaws.com"},
      {"anonymous", "anonymous", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.principal);
    const json out = run(R"({"principal": ")" + std::string(c.principal)
                         + R"(", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"})");
    REQUIRE(out.contains("explanation"));
    CHECK(out["explanation"]["principal"]["type"] == c.type);
    CHECK(out["explanation"]["principal"]["arn"] == c.arn);
  }
  const json role =
      run(R"({"principal": "arn:aws:iam::111122223333:role/team/R", "action": "s3:GetObject"})");
  CHECK(role["explanation"]["principal"]["principalArn"]
        == "arn:aws:iam::111122223333:role/team/R");
}

}  // namespace
}  // namespace ibsim::mock_aws::policy
