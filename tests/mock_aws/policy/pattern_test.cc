#include "mock_aws/policy/pattern.h"

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/policy/request_context.h"
#include "tests/mock_aws/policy/policy_test_util.h"

namespace ibsim::mock_aws::policy {
namespace {

using testing::kOwner;

bool glob(std::string_view pattern, std::string_view subject) {
  return Pattern::compile(pattern, {.wildcards = true}).match_plain(subject);
}

// A slow, obviously-correct matcher to compare the compiled glob against.
bool reference_glob(std::string_view p, std::string_view s) {
  if (p.empty()) {
    return s.empty();
  }
  if (p.front() == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (reference_glob(p.substr(1), s.substr(i))) {
        return true;
      }
    }
    return false;
  }
  if (s.empty()) {
    return false;
  }
  return (p.front() == '?' || p.front() == s.front()) && reference_glob(p.substr(1), s.substr(1));
}

TEST_CASE("Pattern: a glob treats only star and question mark as wildcards", "[policy]") {
  struct Case {
    std::string_view pattern;
    std::string_view subject;
    bool match;
  };

  const Case cases[] = {
      {"abc", "abc", true},
      {"abc", "abcd", false},
      {"a.c", "abc", false},  // '.' is literal: never a regular expression
      {"a.c", "a.c", true},
      {"a+c", "aac", false},
      {"[ab]", "a", false},
      {"[ab]", "[ab]", true},
      {"a?c", "abc", true},
      {"a?c", "ac", false},  // '?' is exactly one character
      {"a?c", "abbc", false},
      {"*", "", true},
      {"*", "anything:at/all", true},
      {"", "", true},
      {"", "x", false},
      {"a*", "a", true},
      {"*a", "ba", true},
      {"a*a", "a", false},
      {"a*a", "aa", true},
      {"a*b*c", "abbbc", true},
      {"a*b*c", "axbxcxbxc", true},
      {"a*b*c", "axbxcxbx", false},
      {"*ab", "aab", true},
      {"*log*", "carlossalazar-logs", true},
      {"*log*", "carlossalazar", false},
      {"iam:*AccessKey*", "iam:CreateAccessKey", true},
      {"iam:*AccessKey*", "iam:ListAccessKeys", true},
      {"iam:*AccessKey*", "iam:GetUser", false},
      {"t?.*", "t2.micro", true},  // StringLike example values: "t1.*" means t1, a dot, anything
      {"t2.*", "t2xmicro", false},
      {"**", "x", true},
      {"?*?", "ab", true},
      {"?*?", "a", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pattern, c.subject);
    CHECK(glob(c.pattern, c.subject) == c.match);
  }
}

TEST_CASE("Pattern: the compiled glob agrees with a reference matcher", "[policy]") {
  // Deterministic pseudo-random patterns over a tiny alphabet, so stars and repeats interact.
  std::uint32_t state = 12345;
  auto next = [&](std::uint32_t bound) {
    state = state * 1664525U + 1013904223U;
    return (state >> 8) % bound;
  };
  constexpr std::string_view kPatternChars = "ab*?.";
  constexpr std::string_view kSubjectChars = "ab.";
  for (int i = 0; i < 4000; ++i) {
    std::string pattern;
    std::string subject;
    const std::uint32_t plen = next(7);
    const std::uint32_t slen = next(9);
    for (std::uint32_t k = 0; k < plen; ++k) {
      pattern.push_back(kPatternChars[next(static_cast<std::uint32_t>(kPatternChars.size()))]);
    }
    for (std::uint32_t k = 0; k < slen; ++k) {
      subject.push_back(kSubjectChars[next(static_cast<std::uint32_t>(kSubjectChars.size()))]);
    }
    CAPTURE(pattern, subject);
    REQUIRE(glob(pattern, subject) == reference_glob(pattern, subject));
  }
}

TEST_CASE("Pattern: without wildcards star and question mark are literal", "[policy]") {
  const Pattern p = Pattern::compile("a*b?", {.wildcards = false});
  CHECK(p.match_plain("a*b?"));
  CHECK_FALSE(p.match_plain("axxby"));
}

TEST_CASE("Pattern: case folding lower-cases both sides", "[policy]") {
  const Pattern p = Pattern::compile("KMS:Re*", {.wildcards = true, .fold_case = true});
  CHECK(p.match_plain("kms:ReEncryptFrom"));
  CHECK(p.match_plain("KMS:REENCRYPTTO"));
  CHECK_FALSE(p.match_plain("kms:Decrypt"));
  const Pattern exact = Pattern::compile("abc", {.wildcards = true});
  CHECK_FALSE(exact.match_plain("ABC"));
}

TEST_CASE("Pattern: policy variables resolve from the request context", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "s3:GetObject", "arn:aws:s3:::b/home/bob/x");
  ctx.set("aws:PrincipalTag/team", "blue");
  const PatternOptions vars{.wildcards = true, .variables = true};

  const Pattern home = Pattern::compile("home/${aws:username}/*", vars);
  CHECK(home.has_variables());
  CHECK(home.match("home/bob/file", ctx) == MatchResult::kMatch);
  CHECK(home.match("home/alice/file", ctx) == MatchResult::kNoMatch);

  // Variable names are case-insensitive, like condition keys.
  const Pattern tag = Pattern::compile("${AWS:PrincipalTag/TEAM}-*", vars);
  CHECK(tag.match("blue-bucket", ctx) == MatchResult::kMatch);

  // A missing key without a default cannot be resolved; with a default it can.
  const Pattern missing = Pattern::compile("${aws:SourceVpc}", vars);
  CHECK(missing.match("vpc-1", ctx) == MatchResult::kUnresolved);
  const Pattern with_default = Pattern::compile("${aws:SourceVpc, 'none'}", vars);
  CHECK(with_default.match("none", ctx) == MatchResult::kMatch);

  // The escapes are literal characters, never wildcards.
  const Pattern escapes = Pattern::compile("a${*}b${?}c${$}", vars);
  CHECK(escapes.match("a*b?c$", ctx) == MatchResult::kMatch);
  CHECK(escapes.match("axxbycz", ctx) == MatchResult::kNoMatch);

  // Without variables (Version 2008-10-17) the text is literal.
  const Pattern literal = Pattern::compile("home/${aws:username}", {.wildcards = true});
  CHECK_FALSE(literal.has_variables());
  CHECK(literal.match_plain("home/${aws:username}"));
}

TEST_CASE("Pattern: a substituted value is literal text", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "b*"), "s3:GetObject", "*");
  const Pattern p =
      Pattern::compile("home/${aws:username}", {.wildcards = true, .variables = true});
  CHECK(p.match("home/b*", ctx) == MatchResult::kMatch);
  CHECK(p.match("home/bob", ctx) == MatchResult::kNoMatch);
}

TEST_CASE("Pattern: multi-valued keys are not policy variables", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "s3:GetObject", "*");
  ctx.set_multi("aws:TagKeys", {"a"});
  const Pattern p = Pattern::compile("${aws:TagKeys}", {.wildcards = true, .variables = true});
  CHECK(p.match("a", ctx) == MatchResult::kUnresolved);
}

TEST_CASE("ArnPattern: each of the six parts is matched separately", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "s3:GetObject", "*");
  // IAM-CONDOPS: StringLike matches this value, ArnLike does not.
  const std::string_view pattern = "arn:aws:someservice:*:111122223333:finance/*";
  const std::string_view value =
      "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
  CHECK(glob(pattern, value));
  CHECK(ArnPattern::compile(pattern, false, false).match(value, ctx) == MatchResult::kNoMatch);
  CHECK(ArnPattern::compile(pattern, false, false)
            .match("arn:aws:someservice:us-east-2:111122223333:finance/doc", ctx)
        == MatchResult::kMatch);
}

TEST_CASE("ArnPattern: the resource part keeps its colons", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "logs:PutLogEvents", "*");
  const ArnPattern p =
      ArnPattern::compile("arn:aws:logs:us-east-1:111122223333:log-group:/aws/app:*", false, false);
  CHECK(p.match("arn:aws:logs:us-east-1:111122223333:log-group:/aws/app:log-stream:x", ctx)
        == MatchResult::kMatch);
  CHECK(p.match("arn:aws:logs:us-east-1:111122223333:log-group:/aws/other:log-stream:x", ctx)
        == MatchResult::kNoMatch);
}

TEST_CASE("ArnPattern: star alone matches anything and short ARNs expand", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "ec2:CopyImage", "*");
  CHECK(ArnPattern::compile("*", true, false).match("not-an-arn", ctx) == MatchResult::kMatch);
  CHECK(ArnPattern::compile("arn:aws:s3:::*", true, false).match("not-an-arn", ctx)
        == MatchResult::kNoMatch);
  const ArnPattern short_star = ArnPattern::compile("arn:aws:ec2:*", true, false);
  CHECK(short_star.match("arn:aws:ec2:us-east-1::image/ami-1", ctx) == MatchResult::kMatch);
  CHECK(short_star.match("arn:aws:kms:us-east-1:111122223333:key/k", ctx) == MatchResult::kNoMatch);
  const ArnPattern short_plain = ArnPattern::compile("arn:aws:ec2", true, false);
  CHECK(short_plain.match("arn:aws:ec2:us-east-1::image/ami-1", ctx) == MatchResult::kNoMatch);
}

TEST_CASE("ArnPattern: EC2 image ARNs have an empty account part", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "ec2:CreateTags", "*");
  const ArnPattern any_image = ArnPattern::compile("arn:aws:ec2:*::image/*", true, false);
  CHECK(any_image.match("arn:aws:ec2:eu-west-1::image/ami-0abc", ctx) == MatchResult::kMatch);
  CHECK(any_image.match("arn:aws:ec2:eu-west-1:111122223333:image/ami-0abc", ctx)
        == MatchResult::kNoMatch);
  const ArnPattern any_account = ArnPattern::compile("arn:aws:ec2:*:*:image/*", true, false);
  CHECK(any_account.match("arn:aws:ec2:eu-west-1::image/ami-0abc", ctx) == MatchResult::kMatch);
}

TEST_CASE("ArnPattern: variables only in the resource part of a Resource", "[policy]") {
  RequestContext ctx(testing::user(kOwner, "bob"), "s3:GetObject", "*");
  const ArnPattern resource_vars =
      ArnPattern::compile("arn:aws:s3:::bucket/${aws:username}/*", true, false);
  CHECK(resource_vars.match("arn:aws:s3:::bucket/bob/a", ctx) == MatchResult::kMatch);
  const ArnPattern account_var =
      ArnPattern::compile("arn:aws:s3::${aws:PrincipalAccount}:x", true, false);
  CHECK(account_var.match("arn:aws:s3::111122223333:x", ctx) == MatchResult::kNoMatch);
  const ArnPattern condition_vars =
      ArnPattern::compile("arn:aws:iam::${aws:PrincipalAccount}:user/*", false, true);
  CHECK(condition_vars.match("arn:aws:iam::111122223333:user/bob", ctx) == MatchResult::kMatch);
}

}  // namespace
}  // namespace ibsim::mock_aws::policy
