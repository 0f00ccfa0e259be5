#include "mock_aws/policy/request_context.h"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/mock_aws/policy/policy_test_util.h"

namespace ibsim::mock_aws::policy {
namespace {

using testing::kOther;
using testing::kOwner;

std::string value_of(const RequestContext& ctx, std::string_view key) {
  const ContextKey* k = ctx.find(key);
  return k == nullptr || k->values.empty() ? std::string("<absent>") : k->values.front();
}

TEST_CASE("RequestContext: a session's aws:PrincipalArn is its role ARN", "[policy]") {
  const api::Principal p = api::Principal::assumed_role(
      testing::account(kOther), "Distribute", "/team/", "ImageBuilder", "AROAEXAMPLE");
  RequestContext ctx(p, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k");
  CHECK(value_of(ctx, "aws:PrincipalArn") == "arn:aws:iam::444455556666:role/team/Distribute");
  CHECK(value_of(ctx, "aws:PrincipalAccount") == "444455556666");
  CHECK(value_of(ctx, "aws:PrincipalType") == "AssumedRole");
  CHECK(value_of(ctx, "aws:userid") == "AROAEXAMPLE:ImageBuilder");
  CHECK(value_of(ctx, "aws:username") == "<absent>");
  CHECK(value_of(ctx, "aws:PrincipalIsAWSService") == "false");
  CHECK(ctx.resource_account() == "111122223333");
  CHECK(ctx.cross_account());
}

TEST_CASE("RequestContext: users roots services and anonymous callers", "[policy]") {
  RequestContext u(testing::user(kOwner, "alice"), "s3:GetObject", "arn:aws:s3:::b/k");
  CHECK(value_of(u, "aws:username") == "alice");
  CHECK(value_of(u, "aws:PrincipalType") == "User");
  CHECK(value_of(u, "aws:PrincipalArn") == "arn:aws:iam::111122223333:user/alice");
  // S3 ARNs have no account: the principal's own account is assumed.
  CHECK(u.resource_account() == "111122223333");
  CHECK_FALSE(u.cross_account());

  RequestContext r(testing::root(kOwner), "kms:Decrypt", "*");
  CHECK(value_of(r, "aws:PrincipalType") == "Account");
  CHECK(value_of(r, "aws:userid") == "111122223333");
  CHECK(value_of(r, "aws:PrincipalArn") == "arn:aws:iam::111122223333:root");

  RequestContext s(api::Principal::service("imagebuilder.amazonaws.com"), "sts:AssumeRole", "*");
  CHECK(value_of(s, "aws:PrincipalIsAWSService") == "true");
  CHECK(value_of(s, "aws:PrincipalServiceName") == "imagebuilder.amazonaws.com");
  CHECK(value_of(s, "aws:PrincipalAccount") == "<absent>");
  CHECK_FALSE(s.cross_account());

  RequestContext a(api::Principal{}, "s3:GetObject", "arn:aws:s3:::b/k");
  CHECK(value_of(a, "aws:PrincipalType") == "Anonymous");
  CHECK(value_of(a, "aws:userid") == "anonymous");
}

TEST_CASE("RequestContext: EC2 images take their owner from resource_account", "[policy]") {
  RequestContext ctx(testing::session(kOther, "R"),
                     "ec2:CopyImage",
                     "arn:aws:ec2:us-east-1::image/ami-1",
                     "111122223333");
  CHECK(ctx.resource_account() == "111122223333");
  CHECK(ctx.cross_account());
}

TEST_CASE("RequestContext: keys are case-insensitive and tags become keys", "[policy]") {
  api::Principal p = testing::user(kOwner, "alice");
  p.tags["CostCenter"] = "42";
  RequestContext ctx(p, "KMS:Decrypt", "*");
  CHECK(value_of(ctx, "AWS:PRINCIPALTAG/costcenter") == "42");
  ctx.set("aws:ResourceTag/CreatedBy", "EC2 Image Builder");
  CHECK(value_of(ctx, "aws:resourcetag/createdby") == "EC2 Image Builder");
  ctx.set("AWS:ResourceTag/CREATEDBY", "someone");  // The same key: replaced.
  CHECK(value_of(ctx, "aws:ResourceTag/CreatedBy") == "someone");
  ctx.erase("aws:resourcetag/createdby");
  CHECK(value_of(ctx, "aws:ResourceTag/CreatedBy") == "<absent>");
  CHECK(ctx.action_lower() == "kms:decrypt");
  CHECK(ctx.action_service() == "kms");
  CHECK(ctx.action_name() == "decrypt");
  CHECK(ctx.action() == "KMS:Decrypt");
}

TEST_CASE("RequestContext: names of every length fold only ASCII letters to lower case",
          "[policy]") {
  // Names are folded and hashed eight bytes at a time: cover every tail length, the characters
  // just outside 'A'-'Z' ('@', '[', '`', '{') and bytes >= 0x80, which are compared exactly.
  RequestContext ctx(testing::user(kOwner, "alice"), "kms:Decrypt", "*");
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string upper;
    std::string lower;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = static_cast<char>('A' + (i * 7 + n) % 26);
      upper.push_back(c);
      lower.push_back(static_cast<char>(c - 'A' + 'a'));
    }
    upper += "@[`{\xc3\x89";  // "É" in UTF-8: not folded.
    lower += "@[`{\xc3\x89";
    ctx.set("test:" + upper, std::to_string(n));
    CHECK(value_of(ctx, "TEST:" + lower) == std::to_string(n));
    CHECK(value_of(ctx, "test:" + upper + "x") == "<absent>");
    CHECK(value_of(ctx, "test:" + lower.substr(0, lower.size() - 2) + "\xc3\xa9") == "<absent>");
    const ContextKey* k = ctx.find("test:" + lower);
    REQUIRE(k != nullptr);
    CHECK(k->name == "test:" + upper);
    CHECK(k->name_lower == "test:" + lower);
  }
  for (std::size_t n = 1; n <= 40; n += 3) {  // Erase some; the rest stay found.
    std::string lower;
    for (std::size_t i = 0; i < n; ++i) {
      lower.push_back(static_cast<char>('a' + (i * 7 + n) % 26));
    }
    ctx.erase("test:" + lower + "@[`{\xc3\x89");
  }
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string lower;
    for (std::size_t i = 0; i < n; ++i) {
      lower.push_back(static_cast<char>('a' + (i * 7 + n) % 26));
    }
    CHECK(value_of(ctx, "test:" + lower + "@[`{\xc3\x89")
          == ((n - 1) % 3 == 0 ? "<absent>" : std::to_string(n)));
  }
}

TEST_CASE("RequestContext: request time fills CurrentTime and EpochTime", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "alice"), "s3:GetObject", "*");
  ctx.set_request_time(1'577'836'801'500);  // 2020-01-01T00:00:01.5Z
  CHECK(value_of(ctx, "aws:CurrentTime") == "2020-01-01T00:00:01Z");
  CHECK(value_of(ctx, "aws:EpochTime") == "1577836801");
  CHECK(format_iso8601_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(format_iso8601_utc(951'782'400'000) == "2000-02-29T00:00:00Z");
}

TEST_CASE("RequestContext: tag helpers fill ResourceTag RequestTag and TagKeys", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "alice"), "ec2:CreateTags", "*");
  ctx.set_resource_tags({{"CreatedBy", "EC2 Image Builder"}});
  ctx.set_resource_tags({{"Team", "blue"}}, "ec2:ResourceTag/");
  ctx.set_request_tags({{"Name", "golden"}, {"CreatedBy", "EC2 Image Builder"}});
  CHECK(value_of(ctx, "aws:ResourceTag/createdby") == "EC2 Image Builder");
  CHECK(value_of(ctx, "ec2:ResourceTag/Team") == "blue");
  CHECK(value_of(ctx, "aws:RequestTag/Name") == "golden");
  const ContextKey* keys = ctx.find("aws:TagKeys");
  REQUIRE(keys != nullptr);
  CHECK(keys->multi_valued);
  CHECK(keys->values == std::vector<std::string>{"CreatedBy", "Name"});
}

// Everything a policy or an explanation can read from a context, in order.
std::string dump(const RequestContext& ctx) {
  std::string out = ctx.action() + "|" + ctx.action_lower() + "|"
                    + std::string(ctx.action_service()) + "|" + std::string(ctx.action_name()) + "|"
                    + ctx.resource() + "|" + ctx.resource_account() + "|"
                    + ctx.principal_account_arn() + "|" + (ctx.cross_account() ? "x" : "-") + "|"
                    + ctx.principal().arn + "\n";
  for (const ContextKey& k : ctx.keys()) {
    out += k.name + "=" + k.name_lower + (k.multi_valued ? "[" : "(");
    for (const std::string& v : k.values) {
      out += v + ";";
    }
    out += "\n";
  }
  return out;
}

// One request as a caller builds it: constructor or reset, then keys set, replaced and erased.
struct Request {
  api::Principal principal;
  std::string action;
  std::string resource;
  std::string resource_account;
  std::vector<std::pair<std::string, std::string>> keys;  // Value "-" erases the key.
  std::vector<std::string> multi;                         // Values of aws:TagKeys when set.
};

void add_keys(RequestContext& ctx, const Request& r) {
  for (const auto& [key, value] : r.keys) {
    if (value == "-") {
      ctx.erase(key);
    } else {
      ctx.set(key, value);
    }
  }
  if (!r.multi.empty()) {
    ctx.set_multi_copy("aws:TagKeys", r.multi);
  }
}

TEST_CASE("RequestContext: reset gives the same context as a fresh one", "[policy]") {
  api::Principal tagged = testing::session(kOther, "Distribute");
  tagged.tags["Team"] = "blue";
  tagged.tags["team"] = "red";  // The same key case-insensitively: the later value wins.
  api::Principal retagged = tagged;
  retagged.tags["Team"] = "green";
  const std::vector<Request> requests = {
      {tagged, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", "", {}, {}},
      {tagged,
       "kms:Decrypt",
       "arn:aws:kms:us-east-1:111122223333:key/k",
       "",
       {{"kms:CallerAccount", "444455556666"}, {"aws:PrincipalTag/Team", "forged"}},
       {"a", "b", "c"}},
      // The same principal after one of its keys was replaced: the principal keys come back.
      {tagged, "KMS:Encrypt", "arn:aws:kms:us-east-1:111122223333:key/k", "", {}, {"x"}},
      {tagged,
       "ec2:CopyImage",
       "arn:aws:ec2:us-east-1::image/ami-1",
       "111122223333",
       {{"aws:PrincipalArn", "-"}, {"aws:RequestedRegion", "us-east-1"}},
       {}},
      {tagged, "ec2:CopyImage", "arn:aws:ec2:us-east-1::image/ami-1", "", {}, {}},
      {retagged, "ec2:CopyImage", "*", "", {{"aws:SourceArn", "arn:aws:s3:::b"}}, {}},
      {testing::user(kOwner, "alice"),
       "s3:GetObject",
       "arn:aws:s3:::b/k",
       "",
       {{"aws:SourceArn", "-"}, {"AWS:SourceArn", "x"}, {"aws:sourcearn", "y"}},
       {"one", "two", "three", "four"}},
      {testing::root(kOwner), "iam:GetRole", "arn:aws:iam::444455556666:role/R", "", {}, {}},
      {api::Principal::service("ec2.amazonaws.com"), "kms:Decrypt", "nothing", "", {}, {}},
      {api::Principal{}, "s3:GetObject", "", "", {{"k", "v"}}, {}},
      {tagged, "", "", "", {}, {}},
      {tagged, "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", "", {}, {}},
  };
  RequestContext reused(api::Principal{}, "", "");
  for (const Request& r : requests) {
    RequestContext fresh(r.principal, r.action, r.resource, r.resource_account);
    add_keys(fresh, r);
    reused.reset(r.principal, r.action, r.resource, r.resource_account);
    add_keys(reused, r);
    CHECK(dump(reused) == dump(fresh));
  }
}

TEST_CASE("RequestContext: the context survives a move", "[policy]") {
  RequestContext a(testing::user(kOwner, "alice"), "kms:Decrypt", "*");
  RequestContext b = std::move(a);
  CHECK(b.action_service() == "kms");
  CHECK(b.action_name() == "decrypt");
}

}  // namespace
}  // namespace ibsim::mock_aws::policy
