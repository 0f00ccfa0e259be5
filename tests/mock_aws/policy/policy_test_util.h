#pragma once
// Helpers for the policy engine tests: parse a document that must be valid, build the principals
// the cases use (accounts 111122223333 = resource owner, 444455556666 = another account).

#include <string>
#include <string_view>
#include <utility>

#include <catch2/catch.hpp>

#include "mock_aws/api/principal.h"
#include "mock_aws/policy/policy.h"

namespace ibsim::mock_aws::policy::testing {

inline constexpr std::string_view kOwner = "111122223333";
inline constexpr std::string_view kOther = "444455556666";

inline api::AccountId account(std::string_view id) {
  return api::AccountId::from_valid(id);
}

inline api::Principal user(std::string_view acct, std::string_view name) {
  return api::Principal::user(account(acct), "/", name, "AIDAEXAMPLEUSER" + std::string(name));
}

inline api::Principal session(std::string_view acct,
                              std::string_view role,
                              std::string_view session_name = "s1") {
  return api::Principal::assumed_role(account(acct), role, "/", session_name, "AROAEXAMPLEROLE1");
}

inline api::Principal root(std::string_view acct) {
  return api::Principal::root(account(acct));
}

inline Policy parse_ok(std::string_view text,
                       PolicyKind kind = PolicyKind::kIdentity,
                       std::string name = "policy") {
  sim::Result<Policy> r = parse_policy(text, kind, ParseOptions{.name = std::move(name)});
  if (!r.ok()) {
    FAIL_CHECK(r.error().message);
  }
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace ibsim::mock_aws::policy::testing
