#pragma once
// WorldFixture: a services::World with two accounts and helpers that build callers (root, users
// with inline policies, role sessions through real AssumeRole) for the IAM, STS and world tests.
//
//   WorldFixture f;
//   api::CallContext admin = f.user_with_policy(f.a, "admin", kAllowAll);

#include <string>
#include <string_view>
#include <utility>

#include <catch2/catch.hpp>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"

namespace ibsim::mock_aws::testing {

inline constexpr std::string_view kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

inline std::string trust_for(std::string_view aws_principal) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")"
         + std::string(aws_principal) + R"("},"Action":"sts:AssumeRole"}]})";
}

inline std::string allow(std::string_view action, std::string_view resource = "*") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":")"
         + std::string(action) + R"(","Resource":")" + std::string(resource) + R"("}]})";
}

inline api::AccountId account(std::string_view id) {
  return api::AccountId::from_valid(id);
}

struct WorldFixture {
  explicit WorldFixture(uint64_t seed = 7, services::World::Options options = {})
      : ctx({.seed = seed}), world(ctx, std::move(options)) {
    REQUIRE(world.add_account(a, "source").ok());
    REQUIRE(world.add_account(b, "target").ok());
  }

  sim::Context ctx;
  services::World world;
  api::AccountId a = account("111122223333");
  api::AccountId b = account("444455556666");

  api::CallContext call(api::Principal p, std::string access_key_id = {}) {
    api::CallContext c;
    c.principal = std::move(p);
    c.region = api::Region::from_known("us-east-1");
    c.request_id = "req-1";
    c.access_key_id = std::move(access_key_id);
    c.request_unix_ms = ctx.unix_ms();
    return c;
  }

  api::CallContext root(const api::AccountId& acct) { return call(api::Principal::root(acct)); }

  // A user in `acct` with one inline policy (or none when `policy` is empty).
  api::CallContext user(const api::AccountId& acct,
                        std::string_view name,
                        std::string_view policy = {}) {
    auto u = world.iam().seed_user(acct, {.user_name = std::string(name)});
    REQUIRE(u.ok());
    if (!policy.empty()) {
      REQUIRE(world.iam().seed_put_user_policy(acct, name, "p", policy).ok());
    }
    return call(api::Principal::user(acct, u->path, u->user_name, u->user_id));
  }

  // A role in `acct` trusting `trusted` (an ARN or account id), with an optional inline policy.
  std::string role(const api::AccountId& acct,
                   std::string_view name,
                   std::string_view trusted,
                   std::string_view policy = {},
                   std::string_view path = "/") {
    api::iam::CreateRoleInput in;
    in.role_name = std::string(name);
    in.path = std::string(path);
    in.assume_role_policy_document = trust_for(trusted);
    auto r = world.iam().seed_role(acct, in);
    REQUIRE(r.ok());
    if (!policy.empty()) {
      REQUIRE(world.iam()
                  .seed_put_role_policy(acct,
                                        {.role_name = std::string(name),
                                         .policy_name = "inline",
                                         .policy_document = std::string(policy)})
                  .ok());
    }
    return r->arn;
  }

  // Assumes `role_arn` as `caller` and returns a CallContext for the session.
  api::CallContext session(const api::CallContext& caller,
                           const std::string& role_arn,
                           std::string_view session_name = "session") {
    auto out = world.sts().assume_role(
        caller, {.role_arn = role_arn, .role_session_name = std::string(session_name)});
    INFO((out.ok() ? std::string() : out.error().message));
    REQUIRE(out.ok());
    auto resolved = world.sts().resolve_access_key(out->credentials.access_key_id);
    REQUIRE(resolved.ok());
    return call(resolved->principal, out->credentials.access_key_id);
  }
};

}  // namespace ibsim::mock_aws::testing
