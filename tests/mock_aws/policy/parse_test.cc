#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/policy/policy.h"
#include "tests/mock_aws/policy/policy_test_util.h"

namespace ibsim::mock_aws::policy {
namespace {

using testing::parse_ok;

TEST_CASE("Parse: a statement object or a list and the optional elements", "[policy]") {
  const Policy single = parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                                     "Resource": "*"}})");
  CHECK(single.version() == "2008-10-17");  // No Version: the old language, no variables.
  CHECK_FALSE(single.supports_variables());
  REQUIRE(single.statements().size() == 1);
  CHECK(single.statements()[0].effect == Effect::kAllow);

  const Policy list = parse_ok(R"({"Version": "2012-10-17", "Id": "doc-1", "Statement": [
      {"Sid": "One", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "NotResource": "*"},
      {"Sid": "Two", "Effect": "Allow", "Action": "*", "Resource": ["arn:aws:s3:::a", "*"],
       "Condition": {"Bool": {"aws:SecureTransport": true}, "NumericLessThan": {"s3:max-keys": 10}}}
  ]})");
  CHECK(list.version() == "2012-10-17");
  CHECK(list.id() == "doc-1");
  REQUIRE(list.statements().size() == 2);
  const Statement& one = list.statements()[0];
  CHECK(one.sid == "One");
  CHECK(one.not_action);
  CHECK(one.not_resource);
  CHECK(one.actions.size() == 2);
  CHECK(one.actions[0].service == "iam");
  const Statement& two = list.statements()[1];
  CHECK(two.index == 1);
  CHECK(two.actions[0].any);
  REQUIRE(two.conditions.size() == 2);
  CHECK(two.conditions[0].values() == std::vector<std::string>{"true"});  // JSON scalars as text
  CHECK(two.conditions[1].values() == std::vector<std::string>{"10"});
}

TEST_CASE("Parse: principals in resource key and trust policies", "[policy]") {
  const Policy key = parse_ok(R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
      {"Sid": "Allow use of the key", "Effect": "Allow",
       "Principal": {"AWS": ["444455556666", "arn:aws:iam::444455556666:role/R",
                             "arn:aws:iam::444455556666:user/path/U",
                             "arn:aws:sts::444455556666:assumed-role/R/session",
                             "AROAEXAMPLEROLEID12345", "*"]},
       "Action": ["kms:Decrypt"], "Resource": "*"}]})",
                              PolicyKind::kKey);
  const auto& entries = key.statements()[1].principal.entries;
  REQUIRE(entries.size() == 6);
  CHECK(key.statements()[0].principal.entries[0].kind == PrincipalEntryKind::kAccount);
  CHECK(key.statements()[0].principal.entries[0].value == "111122223333");
  CHECK(entries[0].kind == PrincipalEntryKind::kAccount);
  CHECK(entries[1].kind == PrincipalEntryKind::kRole);
  CHECK(entries[2].kind == PrincipalEntryKind::kUser);
  CHECK(entries[3].kind == PrincipalEntryKind::kSession);
  CHECK(entries[4].kind == PrincipalEntryKind::kUniqueId);
  CHECK(entries[5].kind == PrincipalEntryKind::kEveryone);

  const Policy trust = parse_ok(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": ["imagebuilder.amazonaws.com",
                                                     "ec2.amazonaws.com"]},
       "Action": ["sts:AssumeRole", "sts:TagSession"]},
      {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
       "Action": "sts:AssumeRoleWithWebIdentity"},
      {"Effect": "Allow", "Principal": "*", "Action": "sts:*"}]})",
                                PolicyKind::kTrust);
  CHECK(trust.statements()[0].principal.entries[0].kind == PrincipalEntryKind::kService);
  CHECK_FALSE(trust.statements()[0].has_resource);
  CHECK(trust.statements()[1].principal.entries[0].kind == PrincipalEntryKind::kFederated);

  const Policy bucket = parse_ok(R"({"Statement": [{"Effect": "Deny",
      "NotPrincipal": {"AWS": ["arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"]},
      "Action": "s3:*", "Resource": ["arn:aws:s3:::BUCKETNAME", "arn:aws:s3:::BUCKETNAME/*"]},
      {"Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
       "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::BUCKETNAME/*"}]})",
                                 PolicyKind::kResource);
  CHECK(bucket.statements()[0].principal.mode == PrincipalSpec::Mode::kNotPrincipal);
  CHECK(bucket.statements()[1].principal.entries[0].kind == PrincipalEntryKind::kCanonicalUser);
}

TEST_CASE("Parse: resource policies may omit Resource as SNS topic policies do", "[policy]") {
  const Policy topic = parse_ok(R"({"Version": "2012-10-17", "Statement": [{"Principal": {"AWS":
      "999999999999"}, "Effect": "Allow", "Action": "sns:*", "Condition": {"StringLike":
      {"sns:endpoint": "https://example.com/${aws:username}/"}, "StringEquals": {"sns:Protocol":
      "https"}}}]})",
                                PolicyKind::kResource);
  CHECK_FALSE(topic.statements()[0].has_resource);
  CHECK(topic.statements()[0].conditions.size() == 2);
}

struct BadDocument {
  std::string_view name;
  PolicyKind kind;
  std::string text;
  std::string_view message;  // A part of the error message.
};

TEST_CASE("Parse: malformed documents are rejected with the element named", "[policy]") {
  const std::string ok_tail = R"("Action": "s3:GetObject", "Resource": "*")";
  const BadDocument cases[] = {
      {"invalid JSON", PolicyKind::kIdentity, R"({"Statement": [)", "Syntax errors in policy"},
      {"trailing garbage",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}} x)",
       "Syntax errors in policy"},
      {"not an object", PolicyKind::kIdentity, R"(["Statement"])", "must be a JSON object"},
      {"bad version",
       PolicyKind::kIdentity,
       R"({"Version": "2012-10-18", "Statement": {"Effect": "Allow", )" + ok_tail + "}}",
       "Version must be"},
      {"version as a number",
       PolicyKind::kIdentity,
       R"({"Version": 2012, "Statement": {"Effect": "Allow", )" + ok_tail + "}}",
       "Version must be"},
      {"unknown top-level element",
       PolicyKind::kIdentity,
       R"({"Statment": {"Effect": "Allow", )" + ok_tail + "}}",
       "unknown element \"Statment\""},
      {"missing statement",
       PolicyKind::kIdentity,
       R"({"Version": "2012-10-17"})",
       "must contain a Statement"},
      {"empty statement list",
       PolicyKind::kIdentity,
       R"({"Statement": []})",
       "must not be an empty list"},
      {"statement is a string",
       PolicyKind::kIdentity,
       R"({"Statement": "Allow"})",
       "Statement must be an object"},
      {"unknown effect",
       PolicyKind::kIdentity,
       R"({"Statement": [{"Effect": "Allow", )" + ok_tail + R"(}, {"Effect": "Allwo", )" + ok_tail
           + "}]}",
       "Statement[1].Effect must be \"Allow\" or \"Deny\", not \"Allwo\""},
      {"lower-case effect",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "allow", )" + ok_tail + "}}",
       "Statement[0].Effect must be"},
      {"missing effect",
       PolicyKind::kIdentity,
       R"({"Statement": {)" + ok_tail + "}}",
       "Statement[0] must have an Effect"},
      {"missing action",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Resource": "*"}})",
       "Policy statement must contain actions."},
      {"action and notaction",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}})",
       "both Action and NotAction"},
      {"action without vendor",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": "GetItem", "Resource": "*"}})",
       "Actions/Conditions must be prefaced by a vendor"},
      {"action is a number",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": 7, "Resource": "*"}})",
       "Statement[0].Action must be a string"},
      {"action list empty",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}})",
       "Statement[0].Action must not be an empty list"},
      {"missing resource in identity policy",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": "s3:*"}})",
       "Policy statement must contain resources."},
      {"resource not an ARN",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"}})",
       "Resource bucket must be in ARN format or \"*\"."},
      {"principal in identity policy",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Principal": "*", )" + ok_tail + "}}",
       "Statement[0].Principal: Policy document should not specify a principal."},
      {"principal in a permissions boundary",
       PolicyKind::kPermissionsBoundary,
       R"({"Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, )" + ok_tail
           + "}}",
       "should not specify a principal"},
      {"missing principal in key policy",
       PolicyKind::kKey,
       R"({"Statement": {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}})",
       "must have a Principal or NotPrincipal"},
      {"partial wildcard principal",
       PolicyKind::kResource,
       R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, )"
           + ok_tail + "}}",
       "partial wildcards are not allowed in principals"},
      {"partial wildcard role",
       PolicyKind::kTrust,
       R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"},
           "Action": "sts:AssumeRole"}})",
       "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:role/*\""},
      {"bare principal string",
       PolicyKind::kResource,
       R"({"Statement": {"Effect": "Allow", "Principal": "111122223333", )" + ok_tail + "}}",
       "a bare string Principal must be \"*\""},
      {"unknown principal type",
       PolicyKind::kResource,
       R"({"Statement": {"Effect": "Allow", "Principal": {"Aws": "111122223333"}, )" + ok_tail
           + "}}",
       "unknown principal type \"Aws\""},
      {"principal not an ARN",
       PolicyKind::kResource,
       R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "bob"}, )" + ok_tail + "}}",
       "Invalid principal in policy"},
      {"service principal wildcard",
       PolicyKind::kTrust,
       R"({"Statement": {"Effect": "Allow", "Principal": {"Service": "*.amazonaws.com"},
           "Action": "sts:AssumeRole"}})",
       "wildcards are not allowed in service principals"},
      {"trust policy with resource",
       PolicyKind::kTrust,
       R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"},
           "Action": "sts:AssumeRole", "Resource": "*"}})",
       "Has prohibited field Resource"},
      {"trust policy with other actions",
       PolicyKind::kTrust,
       R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"},
           "Action": ["sts:AssumeRole", "s3:GetObject"]}})",
       "AssumeRole policy may only specify STS AssumeRole actions."},
      {"trust policy with star action",
       PolicyKind::kTrust,
       R"({"Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "*"}})",
       "AssumeRole policy may only specify STS AssumeRole actions."},
      {"unknown statement element",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Actions": "s3:*", "Resource": "*"}})",
       "Statement[0] has an unknown element \"Actions\""},
      {"sid with spaces in an IAM policy",
       PolicyKind::kIdentity,
       R"({"Statement": {"Sid": "Allow S3", "Effect": "Allow", )" + ok_tail + "}}",
       "Statement IDs (SID) must be alpha-numeric"},
      {"duplicate sid",
       PolicyKind::kIdentity,
       R"({"Statement": [{"Sid": "A", "Effect": "Allow", )" + ok_tail + R"(}, {"Sid": "A",
           "Effect": "Deny", )"
           + ok_tail + "}]}",
       "Statement IDs (SID) in a single policy must be unique."},
      {"condition not an object",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail + R"(, "Condition": ["Bool"]}})",
       "Statement[0].Condition must be an object"},
      {"unknown condition operator",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"StringEqual": {"aws:username": "bob"}}}})",
       "Invalid Condition type : StringEqual"},
      {"condition key without vendor",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"StringEquals": {"username": "bob"}}}})",
       "is not a condition key"},
      {"condition value is an object",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"StringEquals": {"aws:username": {"a": "b"}}}}})",
       "Statement[0].Condition.StringEquals.aws:username must be a string, number or boolean"},
      {"condition value is null",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"StringEquals": {"aws:username": null}}}})",
       "must be a string, number or boolean"},
      {"numeric condition with text",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}})",
       "is not a number"},
      {"duplicate key",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", "Effect": "Deny", )" + ok_tail + "}}",
       "duplicate key \"Effect\" in Statement"},
      {"duplicate condition operator",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"StringEquals": {"aws:username": "a"}, "StringEquals": {"aws:username": "b"}}}})",
       "duplicate key \"StringEquals\" in Statement.Condition"},
      {"deep nesting",
       PolicyKind::kIdentity,
       R"({"Statement": {"Effect": "Allow", )" + ok_tail
           + R"(, "Condition": {"StringEquals": {"aws:username": [[[[["a"]]]]]}}}})",
       "JSON nesting deeper than 8 levels"},
  };
  for (const BadDocument& c : cases) {
    CAPTURE(c.name, c.text);
    const sim::Result<Policy> r = parse_policy(c.text, c.kind);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "MalformedPolicyDocument");
    CHECK(r.error().http_status == 400);
    CHECK_THAT(r.error().message, Catch::Contains(std::string(c.message)));
  }
}

TEST_CASE("Parse: size quotas count characters without whitespace", "[policy]") {
  std::string padded =
      R"({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}})";
  padded.insert(1, 5000, ' ');
  // Whitespace is free: the document is far below the 2048-character trust quota...
  CHECK(parse_policy(padded, PolicyKind::kIdentity, {.max_size_chars = 100}).ok());
  // ...but characters count.
  const sim::Result<Policy> small =
      parse_policy(padded, PolicyKind::kIdentity, ParseOptions{.max_size_chars = 50});
  REQUIRE_FALSE(small.ok());
  CHECK(small.error().code == "LimitExceeded");
  CHECK_THAT(small.error().message, Catch::StartsWith("Cannot exceed quota for PolicySize: 50"));

  std::string big = R"({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [)";
  for (int i = 0; i < 300; ++i) {
    big += (i > 0 ? ",\"" : "\"") + std::string("arn:aws:s3:::bucket-") + std::to_string(i) + "\"";
  }
  big += "]}}";
  const sim::Result<Policy> trust_sized = parse_policy(
      big, PolicyKind::kIdentity, ParseOptions{.max_size_chars = PolicyLimits::kTrustChars});
  REQUIRE_FALSE(trust_sized.ok());
  CHECK(trust_sized.error().code == "LimitExceeded");
  CHECK(parse_policy(big,
                     PolicyKind::kIdentity,
                     ParseOptions{.max_size_chars = PolicyLimits::kInlineRoleChars})
            .ok());

  // A caller (KMS) can choose its own error code.
  const sim::Result<Policy> kms = parse_policy(
      big,
      PolicyKind::kKey,
      ParseOptions{.max_size_chars = 100, .size_error_code = "LimitExceededException"});
  REQUIRE_FALSE(kms.ok());
  CHECK(kms.error().code == "LimitExceededException");

  // The raw text is bounded too, whatever the quota says.
  const std::string huge(PolicyLimits::kTextBytesMax + 1, ' ');
  const sim::Result<Policy> h = parse_policy(huge, PolicyKind::kIdentity);
  REQUIRE_FALSE(h.ok());
  CHECK(h.error().code == "LimitExceeded");
}

TEST_CASE("Parse: a statement count bound and a deep nesting bound", "[policy]") {
  std::string many = R"({"Statement": [)";
  for (std::size_t i = 0; i <= PolicyLimits::kStatementsMax; ++i) {
    many += std::string(i > 0 ? "," : "") + R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})";
  }
  many += "]}";
  const sim::Result<Policy> r =
      parse_policy(many, PolicyKind::kIdentity, ParseOptions{.max_size_chars = 1 << 20});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("more than 512 statements"));

  // 100k open brackets: rejected by the streaming check without recursing.
  const std::string deep(100000, '[');
  const sim::Result<Policy> d =
      parse_policy(deep, PolicyKind::kIdentity, ParseOptions{.max_size_chars = 1 << 20});
  REQUIRE_FALSE(d.ok());
  CHECK_THAT(d.error().message, Catch::Contains("nesting deeper than"));
}

TEST_CASE("Parse: KMS key policy Sids may contain spaces", "[policy]") {
  const Policy p = parse_ok(R"({"Statement": [{"Sid": "Allow use of the key", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt",
      "Resource": "*"}]})",
                            PolicyKind::kKey);
  CHECK(p.statements()[0].sid == "Allow use of the key");
}

TEST_CASE("Parse: statements keep their JSON for explanations", "[policy]") {
  const Policy p =
      parse_ok(R"({"Statement": {"Effect": "Allow",   "Action": "s3:*", "Resource": "*"}})");
  CHECK(p.statements()[0].json == R"({"Action":"s3:*","Effect":"Allow","Resource":"*"})");
}

}  // namespace
}  // namespace ibsim::mock_aws::policy
