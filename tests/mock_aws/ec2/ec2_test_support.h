#pragma once
// Test doubles for the EC2 model, shared by the tests and bench/ec2_copy_bench.cc (header-only):
//   TestAuthorizer — auth::Authorizer on the real policy engine: identity policies per principal
//     ARN (the role's ARN for sessions), the resource policy the model passes, kms:ViaService /
//     aws:CalledVia for service calls, aws:CurrentTime; one RequestContext reused with reset().
//   FakeEbsKeys — kms::EbsKeyService with real AES-256-GCM key wrapping: keys with key policies,
//     aliases, alias/aws/ebs per (account, region), enable/disable, and per-call denials.
//   Ec2World — a Context, both doubles and an Ec2Model, plus principals and call contexts.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/call_context.h"
#include "mock_aws/api/principal.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/crypto/encoding.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/kms/kms_ebs.h"
#include "mock_aws/policy/evaluate.h"
#include "mock_aws/policy/policy.h"
#include "mock_aws/policy/request_context.h"
#include "sim/base/assert.h"
#include "sim/context.h"

namespace ibsim::mock_aws::ec2::testing {

inline std::string test_json_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

class TestAuthorizer final : public auth::Authorizer {
 public:
  // Adds an identity policy for `principal_arn` (a user ARN, or the role ARN for its sessions).
  void attach(const std::string& principal_arn, std::string_view policy_json) {
    sim::Result<policy::Policy> p =
        policy::parse_policy(policy_json, policy::PolicyKind::kIdentity, {.name = "test-policy"});
    IBSIM_ASSERT(p.ok(), "test policies parse");
    policies_[principal_arn].push_back(std::make_unique<policy::Policy>(std::move(p).value()));
  }

  void detach_all(const std::string& principal_arn) { policies_.erase(principal_arn); }

  uint64_t calls() const { return calls_; }

  // The last request denied, for assertions on actions and keys.
  const std::string& last_denied_action() const { return last_denied_action_; }

  auth::AuthzResult authorize(const api::CallContext& ctx,
                              const auth::AuthzRequest& request) override {
    ++calls_;
    // One context reused with reset(), as StsAuthorizer does: no allocation in steady state.
    policy::RequestContext& rc = context_;
    rc.reset(ctx.principal, request.action, request.resource, request.resource_account);
    // aws:CurrentTime and aws:EpochTime, formatted once per second as StsAuthorizer does.
    if (const int64_t seconds = ctx.request_unix_ms / 1000; seconds != time_seconds_) {
      time_seconds_ = seconds;
      current_time_ = policy::format_iso8601_utc(ctx.request_unix_ms);
      epoch_time_ = std::to_string(seconds);
    }
    rc.set("aws:CurrentTime", current_time_);
    rc.set("aws:EpochTime", epoch_time_);
    if (!ctx.via_service.empty()) {
      rc.set("kms:ViaService", ctx.via_service);
      rc.set_multi_copy("aws:CalledVia", std::span<const std::string>(&kCalledViaEc2, 1));
    }
    for (const auth::ContextValue& key : request.keys) {
      if (key.multi_valued) {
        rc.set_multi_copy(key.key, key.values);
      } else if (!key.values.empty()) {
        rc.set(key.key, key.values.front());
      }
    }
    scratch_.identity.clear();
    if (const auto it = policies_.find(ctx.principal.principal_arn()); it != policies_.end()) {
      for (const auto& p : it->second) {
        scratch_.identity.push_back(p.get());
      }
    }
    scratch_.resource = request.resource_policy;
    auth::AuthzResult result{
        .decision = policy::evaluate(scratch_, rc), .message = {}, .explanation = {}};
    if (!result.allowed()) {
      result.message = policy::access_denied_message(result.decision, rc);
      result.explanation = "{\"allowed\":false,\"action\":\"" + std::string(request.action)
                           + "\",\"message\":\"" + test_json_escape(result.message) + "\"}";
      last_denied_action_ = std::string(request.action);
    }
    return result;
  }

 private:
  std::map<std::string, std::vector<std::unique_ptr<policy::Policy>>> policies_;
  inline static const std::string kCalledViaEc2 = "ec2.amazonaws.com";
  policy::PolicySet scratch_;
  policy::RequestContext context_{api::Principal{}, "", ""};
  int64_t time_seconds_ = -1;
  std::string current_time_;
  std::string epoch_time_;
  uint64_t calls_ = 0;
  std::string last_denied_action_;
};

// Allows everything: for measuring the models without the policy engine.
class AllowAllAuthorizer final : public auth::Authorizer {
 public:
  auth::AuthzResult authorize(const api::CallContext&, const auth::AuthzRequest&) override {
    auth::AuthzResult result;
    result.decision.outcome = policy::Outcome::kAllow;
    return result;
  }
};

class FakeEbsKeys final : public kms::EbsKeyService {
 public:
  struct Key {
    std::string arn;
    std::string key_id;
    api::AccountId owner;
    api::Region region;
    crypto::AesKey material{};
    bool enabled = true;
    bool aws_managed = false;
    std::unique_ptr<policy::Policy> policy;
  };

  FakeEbsKeys(auth::Authorizer& authorizer, sim::Rng rng)
      : authorizer_(authorizer), rng_(std::move(rng)) {}

  // The key policy KMS gives keys created without one: the owner account may use IAM.
  static std::string root_policy(const api::AccountId& owner) {
    return R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM policies","Effect":"Allow",)"
           R"("Principal":{"AWS":"arn:aws:iam::)"
           + owner.str() + R"(:root"},"Action":"kms:*","Resource":"*"}]})";
  }

  // Also lets `other` use the key for EBS (crypto use and grants), as the console's "other AWS
  // accounts" statements do.
  static std::string shared_policy(const api::AccountId& owner, const api::AccountId& other) {
    return R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM policies","Effect":"Allow",)"
           R"("Principal":{"AWS":"arn:aws:iam::)"
           + owner.str()
           + R"(:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Other account","Effect":"Allow",)"
             R"("Principal":{"AWS":"arn:aws:iam::)"
           + other.str()
           + R"(:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*",)"
             R"("kms:GenerateDataKey*","kms:DescribeKey","kms:CreateGrant"],"Resource":"*"}]})";
  }

  std::string create_key(const api::AccountId& owner,
                         const api::Region& region,
                         std::string policy_json = {},
                         std::string alias = {}) {
    auto key = std::make_unique<Key>();
    key->key_id = uuid();
    key->arn = api::kms_key_arn(region, owner, key->key_id);
    key->owner = owner;
    key->region = region;
    rng_.fill_bytes(key->material);
    set_policy_of(*key, policy_json.empty() ? root_policy(owner) : policy_json);
    const std::string arn = key->arn;
    if (!alias.empty()) {
      aliases_[{owner, region, alias}] = arn;
    }
    keys_[arn] = std::move(key);
    return arn;
  }

  void set_policy(const std::string& arn, const std::string& policy_json) {
    set_policy_of(*keys_.at(arn), policy_json);
  }

  void set_enabled(const std::string& arn, bool enabled) { keys_.at(arn)->enabled = enabled; }

  // Makes every call of `operation` ("describe_key", "generate_data_key", "decrypt_data_key") on
  // `key_arn` fail with AccessDeniedException.
  void deny(std::string operation, std::string key_arn) {
    denied_.insert({std::move(operation), std::move(key_arn)});
  }

  void allow_all() { denied_.clear(); }

  // Unwraps a data key with `key_arn`'s material and no authorization: nullopt unless that key
  // really wraps it (tests prove which key protects a snapshot).
  std::optional<kms::Bytes> unwrap_with(const std::string& key_arn,
                                        const kms::WrappedDataKey& wrapped,
                                        std::string_view snapshot_id) const {
    const auto it = keys_.find(key_arn);
    if (it == keys_.end() || wrapped.blob.size() < crypto::kGcmIvBytes) {
      return std::nullopt;
    }
    crypto::GcmIv iv{};
    std::copy(wrapped.blob.begin(), wrapped.blob.begin() + crypto::kGcmIvBytes, iv.begin());
    const std::string aad = "aws:ebs:id=" + std::string(snapshot_id);
    return crypto::aes256_gcm_open(
        it->second->material,
        iv,
        crypto::as_bytes(aad),
        std::span<const uint8_t>(wrapped.blob).subspan(crypto::kGcmIvBytes));
  }

  const Key* find(const std::string& arn) const {
    const auto it = keys_.find(arn);
    return it == keys_.end() ? nullptr : it->second.get();
  }

  uint64_t generate_calls() const { return generate_calls_; }

  uint64_t decrypt_calls() const { return decrypt_calls_; }

  // ---- kms::EbsKeyService ----

  sim::Result<std::string> describe_key(const api::CallContext& ctx,
                                        std::string_view key_ref) override {
    sim::Result<Key*> key = resolve(ctx, key_ref);
    if (!key.ok()) {
      return key.error();
    }
    if (sim::Status s = check(ctx, **key, "describe_key", {"kms:DescribeKey"}, {}); !s.ok()) {
      return s.error();
    }
    return (*key)->arn;
  }

  std::string aws_managed_ebs_key(const api::AccountId& account,
                                  const api::Region& region) override {
    const AliasKey alias{account, region, "alias/aws/ebs"};
    if (const auto it = aliases_.find(alias); it != aliases_.end()) {
      return it->second;
    }
    // Usable only by the account's principals, only through EC2 in that region.
    const std::string policy =
        R"({"Version":"2012-10-17","Statement":[{"Sid":"Allow access through EBS for all )"
        R"(principals in the account","Effect":"Allow","Principal":{"AWS":"*"},"Action":[)"
        R"("kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*",)"
        R"("kms:CreateGrant","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{)"
        R"("kms:CallerAccount":")"
        + account.str() + R"(","kms:ViaService":"ec2.)" + region.str() + R"(.amazonaws.com"}}}]})";
    const std::string arn = create_key(account, region, policy);
    keys_.at(arn)->aws_managed = true;
    aliases_[alias] = arn;
    return arn;
  }

  bool is_aws_managed_key(std::string_view key_arn) const override {
    const auto it = keys_.find(key_arn);
    return it != keys_.end() && it->second->aws_managed;
  }

  sim::Result<kms::DataKey> generate_data_key(const api::CallContext& ctx,
                                              std::string_view key_arn,
                                              std::string_view snapshot_id) override {
    ++generate_calls_;
    Key* key = by_arn(key_arn);
    if (key == nullptr) {
      return not_found(key_arn);
    }
    if (sim::Status s =
            check(ctx,
                  *key,
                  "generate_data_key",
                  {"kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKeyWithoutPlaintext"},
                  snapshot_id);
        !s.ok()) {
      return s.error();
    }
    kms::DataKey out;
    out.plaintext.resize(crypto::kAesKeyBytes);
    rng_.fill_bytes(out.plaintext);
    out.wrapped = wrap(*key, out.plaintext, snapshot_id);
    return out;
  }

  sim::Result<kms::Bytes> decrypt_data_key(const api::CallContext& ctx,
                                           const kms::WrappedDataKey& wrapped,
                                           std::string_view snapshot_id) override {
    ++decrypt_calls_;
    Key* key = by_arn(wrapped.key_arn);
    if (key == nullptr) {
      return not_found(wrapped.key_arn);
    }
    if (sim::Status s =
            check(ctx, *key, "decrypt_data_key", {"kms:CreateGrant", "kms:Decrypt"}, snapshot_id);
        !s.ok()) {
      return s.error();
    }
    std::optional<kms::Bytes> plain = unwrap_with(key->arn, wrapped, snapshot_id);
    if (!plain.has_value()) {
      return sim::aws_error("InvalidCiphertextException", "");
    }
    return std::move(*plain);
  }

  sim::Result<kms::DataKey> seed_data_key(std::string_view key_arn,
                                          std::string_view snapshot_id) override {
    Key* key = by_arn(key_arn);
    if (key == nullptr) {
      return not_found(key_arn);
    }
    kms::DataKey out;
    out.plaintext.resize(crypto::kAesKeyBytes);
    rng_.fill_bytes(out.plaintext);
    out.wrapped = wrap(*key, out.plaintext, snapshot_id);
    return out;
  }

 private:
  struct AliasKey {
    api::AccountId account;
    api::Region region;
    std::string name;

    auto operator<=>(const AliasKey&) const = default;
  };

  std::string uuid() {
    const std::string h = rng_.hex(32);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4)
           + "-" + h.substr(20, 12);
  }

  void set_policy_of(Key& key, const std::string& json) {
    sim::Result<policy::Policy> p =
        policy::parse_policy(json, policy::PolicyKind::kKey, {.name = "KeyPolicy"});
    IBSIM_ASSERT(p.ok(), "test key policies parse");
    key.policy = std::make_unique<policy::Policy>(std::move(p).value());
  }

  Key* by_arn(std::string_view arn) {
    const auto it = keys_.find(arn);
    return it == keys_.end() ? nullptr : it->second.get();
  }

  static sim::AwsError not_found(std::string_view ref) {
    return sim::aws_error("NotFoundException", "Key '" + std::string(ref) + "' does not exist");
  }

  sim::Result<Key*> resolve(const api::CallContext& ctx, std::string_view ref) {
    if (ref.substr(0, 12) == "arn:aws:kms:") {
      if (Key* key = by_arn(ref); key != nullptr && key->region == ctx.region) {
        return key;
      }
      // Alias ARN: arn:aws:kms:<region>:<account>:alias/<name>
      sim::Result<api::Arn> arn = api::parse_arn(ref);
      if (arn.ok() && arn->resource.substr(0, 6) == "alias/" && arn->region == ctx.region.str()
          && api::AccountId::is_valid(arn->account)) {
        const auto it =
            aliases_.find({api::AccountId::from_valid(arn->account), ctx.region, arn->resource});
        if (it != aliases_.end()) {
          return by_arn(it->second);
        }
      }
      return not_found(ref);
    }
    if (ref.substr(0, 6) == "alias/") {
      if (ref == "alias/aws/ebs") {
        return by_arn(aws_managed_ebs_key(ctx.principal.account, ctx.region));
      }
      const auto it = aliases_.find({ctx.principal.account, ctx.region, std::string(ref)});
      if (it == aliases_.end()) {
        return sim::aws_error(
            "NotFoundException",
            "Alias " + api::kms_alias_arn(ctx.region, ctx.principal.account, ref.substr(6))
                + " is not found.");
      }
      return by_arn(it->second);
    }
    for (auto& [arn, key] : keys_) {
      if (key->key_id == ref && key->owner == ctx.principal.account && key->region == ctx.region) {
        return key.get();
      }
    }
    return not_found(ref);
  }

  sim::Status check(const api::CallContext& ctx,
                    const Key& key,
                    std::string_view operation,
                    std::initializer_list<std::string_view> actions,
                    std::string_view snapshot_id) {
    if (denied_.count({std::string(operation), key.arn}) > 0) {
      return sim::aws_error("AccessDeniedException",
                            "User: " + ctx.principal.arn
                                + " is not authorized to perform: " + std::string(*actions.begin())
                                + " on resource: " + key.arn + " (denied by the test)");
    }
    if (operation != "describe_key" && !key.enabled) {
      return sim::aws_error("DisabledException", key.arn + " is disabled.");
    }
    // One request for all the actions of the call; CreateGrant adds its grant key.
    auth::AuthzRequest request{
        .action = {},
        .resource = key.arn,
        .resource_account = key.owner.str(),
        .resource_policy = key.policy.get(),
        .keys = {{.key = "kms:CallerAccount", .values = {ctx.principal.account.str()}}}};
    if (!snapshot_id.empty()) {
      request.keys.push_back(
          {.key = "kms:EncryptionContextKeys", .values = {"aws:ebs:id"}, .multi_valued = true});
      request.keys.push_back(
          {.key = "kms:EncryptionContext:aws:ebs:id", .values = {std::string(snapshot_id)}});
    }
    for (const std::string_view action : actions) {
      request.action = action;
      const bool grant = action == "kms:CreateGrant";
      if (grant) {
        request.keys.push_back({.key = "kms:GrantIsForAWSResource", .values = {"true"}});
      }
      const auth::AuthzResult r = authorizer_.authorize(ctx, request);
      if (grant) {
        request.keys.pop_back();
      }
      if (!r.allowed()) {
        sim::AwsError e = sim::aws_error("AccessDeniedException", r.message);
        e.explanation = r.explanation;
        return e;
      }
    }
    return sim::ok_status();
  }

  kms::WrappedDataKey wrap(const Key& key,
                           const std::vector<uint8_t>& plaintext,
                           std::string_view snapshot_id) {
    crypto::GcmIv iv{};
    rng_.fill_bytes(iv);
    const std::string aad = "aws:ebs:id=" + std::string(snapshot_id);
    std::vector<uint8_t> sealed =
        crypto::aes256_gcm_seal(key.material, iv, crypto::as_bytes(aad), plaintext);
    kms::WrappedDataKey out;
    out.key_arn = key.arn;
    out.blob.assign(iv.begin(), iv.end());
    out.blob.insert(out.blob.end(), sealed.begin(), sealed.end());
    return out;
  }

  auth::Authorizer& authorizer_;
  sim::Rng rng_;
  std::map<std::string, std::unique_ptr<Key>, std::less<>> keys_;
  std::map<AliasKey, std::string> aliases_;
  std::set<std::pair<std::string, std::string>> denied_;
  uint64_t generate_calls_ = 0;
  uint64_t decrypt_calls_ = 0;
};

// ---- A world for EC2 tests ----------------------------------------------------------------

inline const api::AccountId kSourceAccount = api::AccountId::from_valid("111111111111");
inline const api::AccountId kTargetAccount = api::AccountId::from_valid("222222222222");
inline const api::AccountId kOtherAccount = api::AccountId::from_valid("333333333333");
inline const api::AccountId kAmazonAccount = api::AccountId::from_valid("137112412989");
inline const api::Region kUsEast1 = api::Region::from_known("us-east-1");
inline const api::Region kUsWest2 = api::Region::from_known("us-west-2");
inline const api::Region kEuWest3 = api::Region::from_known("eu-west-3");  // No PV support.

class Ec2World {
 public:
  // Tests record the trace to inspect it; the bench only hashes it, as load runs do. An
  // `authorizer` given here replaces the policy-engine one for EC2 and KMS (the bench uses an
  // allow-all authorizer to measure the model alone).
  explicit Ec2World(Ec2Model::Options options = {},
                    uint64_t seed = 42,
                    bool record_trace = true,
                    auth::Authorizer* authorizer = nullptr)
      : ctx_({.seed = seed, .trace = {.record = record_trace}}),
        keys_(authorizer != nullptr ? *authorizer : authz_, ctx_.rng().fork("test.kms")),
        ec2_(ctx_, authorizer != nullptr ? *authorizer : authz_, keys_, std::move(options)) {}

  sim::Context& ctx() { return ctx_; }

  TestAuthorizer& authz() { return authz_; }

  FakeEbsKeys& keys() { return keys_; }

  Ec2Model& ec2() { return ec2_; }

  // The account's root user at `region`'s endpoint (allowed everything in its own account).
  api::CallContext root(const api::AccountId& account, const api::Region& region = kUsEast1) {
    return call(api::Principal::root(account), region);
  }

  // A role session `role` of `account`; give it policies with authz().attach(role_arn(...)).
  api::CallContext role(const api::AccountId& account,
                        std::string_view role_name,
                        const api::Region& region = kUsEast1) {
    return call(api::Principal::assumed_role(
                    account, role_name, "/", "session", "AROAEXAMPLE" + account.str()),
                region);
  }

  static std::string role_arn(const api::AccountId& account, std::string_view role_name) {
    return api::role_arn(account, "/", role_name);
  }

  api::CallContext call(api::Principal principal, const api::Region& region) {
    api::CallContext c;
    c.principal = std::move(principal);
    c.region = region;
    c.request_id = "req";
    c.request_unix_ms = ctx_.unix_ms();
    return c;
  }

  // An 8 GiB image owned by `owner`, encrypted under `kms_key_arn` when given.
  std::string image(const api::AccountId& owner,
                    const api::Region& region = kUsEast1,
                    std::string kms_key_arn = {},
                    std::string name = {}) {
    Ec2Model::SeedImage seed;
    seed.owner = owner;
    seed.region = region;
    seed.name = name.empty() ? "image-" + std::to_string(++images_) : std::move(name);
    seed.block_devices[0].kms_key_arn = std::move(kms_key_arn);
    sim::Result<std::string> id = ec2_.seed_image(seed);
    IBSIM_ASSERT(id.ok(), "test images seed");
    return *id;
  }

  const ImageRecord& image_record(const api::Region& region, const std::string& id) {
    const ImageRecord* r = ec2_.find_image(region, id);
    IBSIM_ASSERT(r != nullptr, "the image exists");
    return *r;
  }

  const SnapshotRecord& root_snapshot(const api::Region& region, const std::string& image_id) {
    const ImageRecord& image = image_record(region, image_id);
    const SnapshotRecord* s = ec2_.find_snapshot(region, image.block_devices[0].snapshot_id.view());
    IBSIM_ASSERT(s != nullptr, "the snapshot exists");
    return *s;
  }

  // Shares image and its snapshots with `account` as the owner's root.
  void share(const api::AccountId& owner,
             const api::Region& region,
             const std::string& image_id,
             const api::AccountId& account,
             bool with_snapshots = true) {
    sim::Result<api::ec2::ModifyImageAttributeOutput> r = ec2_.modify_image_attribute(
        root(owner, region),
        {.image_id = image_id,
         .launch_permission =
             api::ec2::LaunchPermissionModifications{.add = {{.user_id = account.str()}}}});
    IBSIM_ASSERT(r.ok(), "sharing the test image works");
    if (with_snapshots) {
      for (const ImageBlockDevice& d : image_record(region, image_id).block_devices) {
        sim::Result<api::ec2::ModifySnapshotAttributeOutput> s = ec2_.modify_snapshot_attribute(
            root(owner, region),
            {.snapshot_id = d.snapshot_id.str(),
             .create_volume_permission = api::ec2::CreateVolumePermissionModifications{
                 .add = {{.user_id = account.str()}}}});
        IBSIM_ASSERT(s.ok(), "sharing the test snapshot works");
      }
    }
  }

  std::string state_of(const api::Region& region, const std::string& image_id) {
    const ImageRecord* r = ec2_.find_image(region, image_id);
    return r == nullptr ? "absent" : std::string(to_string(r->state));
  }

  void run() { ctx_.scheduler().run(); }

 private:
  sim::Context ctx_;
  TestAuthorizer authz_;
  FakeEbsKeys keys_;
  Ec2Model ec2_;
  int images_ = 0;
};

}  // namespace ibsim::mock_aws::ec2::testing
