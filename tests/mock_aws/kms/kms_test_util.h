#pragma once
// Helpers for the KMS model tests: a world (context, test authorizer, model), the principals the
// cases use — account 111122223333 owns the keys, 444455556666 is another account — and policy
// documents built from statements.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/call_context.h"
#include "mock_aws/api/principal.h"
#include "mock_aws/kms/kms_model.h"
#include "sim/context.h"
#include "tests/mock_aws/kms/test_authorizer.h"

namespace ibsim::mock_aws::kms::testing {

inline constexpr std::string_view kOwner = "111122223333";
inline constexpr std::string_view kOther = "444455556666";
inline constexpr std::string_view kRegion = "us-west-2";
inline constexpr std::string_view kRoleName = "EC2ImageBuilderDistributionCrossAccountRole";

inline api::AccountId account(std::string_view id) {
  return api::AccountId::from_valid(id);
}

inline api::Region region(std::string_view name = kRegion) {
  return api::Region::from_known(name);
}

inline api::Principal root(std::string_view acct = kOwner) {
  return api::Principal::root(account(acct));
}

inline api::Principal user(std::string_view acct, std::string_view name) {
  return api::Principal::user(account(acct), "/", name, "AIDAEXAMPLE" + std::string(name));
}

inline api::Principal session(std::string_view acct,
                              std::string_view role = kRoleName,
                              std::string_view session_name = "ImageBuilder") {
  return api::Principal::assumed_role(account(acct), role, "/", session_name, "AROAEXAMPLEROLE");
}

inline std::string role_arn(std::string_view acct, std::string_view role = kRoleName) {
  return api::role_arn(account(acct), "/", role);
}

inline api::CallContext call(const api::Principal& p,
                             std::string_view region_name = kRegion,
                             std::string via_service = {}) {
  api::CallContext c;
  c.principal = p;
  c.region = region(region_name);
  c.request_id = "test";
  c.via_service = std::move(via_service);
  return c;
}

inline std::string via_ec2(std::string_view region_name = kRegion) {
  return "ec2." + std::string(region_name) + ".amazonaws.com";
}

// {"Version":"2012-10-17","Statement":[<statements>]}
inline std::string policy_doc(const std::vector<std::string>& statements) {
  std::string out = R"({"Version":"2012-10-17","Statement":[)";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    out += (i > 0 ? "," : "") + statements[i];
  }
  return out + "]}";
}

// A key policy statement allowing `principal` (an ARN or account id) the actions.
inline std::string allow_principal(std::string_view principal,
                                   std::string_view actions = R"("kms:*")",
                                   std::string_view sid = "Allow") {
  return R"({"Sid":")" + std::string(sid) + R"(","Effect":"Allow","Principal":{"AWS":")"
         + std::string(principal) + R"("},"Action":)" + std::string(actions)
         + R"(,"Resource":"*"})";
}

inline std::string deny_principal(std::string_view principal,
                                  std::string_view actions = R"("kms:*")") {
  return R"({"Sid":"Deny","Effect":"Deny","Principal":{"AWS":")" + std::string(principal)
         + R"("},"Action":)" + std::string(actions) + R"(,"Resource":"*"})";
}

// An identity policy statement allowing the actions on the resource.
inline std::string allow(std::string_view actions = R"("kms:*")", std::string_view resource = "*") {
  return R"({"Effect":"Allow","Action":)" + std::string(actions) + R"(,"Resource":")"
         + std::string(resource) + R"("})";
}

inline std::vector<uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

// One simulated world: clock, RNG and trace; the test authorizer; the model.
struct World {
  explicit World(uint64_t seed = 7) : ctx(sim::Context::Options{.seed = seed}), kms(ctx, authz) {}

  // A key in the owner account created by its root user; `policy` empty: AWS's default.
  std::string create_key(std::string policy = {},
                         std::string_view owner = kOwner,
                         std::string_view region_name = kRegion) {
    api::kms::CreateKeyInput in;
    if (!policy.empty()) {
      in.policy = std::move(policy);
    }
    auto out = kms.create_key(call(root(owner), region_name), in);
    if (!out.ok()) {
      FAIL(out.error().code + ": " + out.error().message);
    }
    return out->key_metadata.arn;
  }

  std::vector<uint8_t> encrypt_as_owner(const std::string& key_arn,
                                        std::string_view plaintext,
                                        api::kms::EncryptionContext context = {}) {
    auto out = kms.encrypt(call(root()),
                           {.key_id = key_arn,
                            .plaintext = bytes(plaintext),
                            .encryption_context = std::move(context)});
    if (!out.ok()) {
      FAIL(out.error().code + ": " + out.error().message);
    }
    return out->ciphertext_blob;
  }

  sim::Context ctx;
  TestAuthorizer authz;
  KmsModel kms;
};

}  // namespace ibsim::mock_aws::kms::testing
