#pragma once
// FakeAws: a small scripted AWS behind client::ClientFactory, for testing the engine's control
// flow without the service models — images and snapshots with owners, copies that take a fixed
// virtual time, idempotent ClientTokens, sessions from AssumeRole, launch templates, SSM
// parameters, build instances. Tests script errors per operation (optionally per account and
// region, for a number of calls, or "applied then the answer is lost") and read the call log and
// the copy concurrency it observed.
//
//   FakeAws aws(ctx);
//   aws.add_image(owner, region, "ami-src", {.encrypted = true});
//   aws.fail("CopyImage", sim::aws_error("RequestLimitExceeded", "slow down", 503), 2);

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "src/client/clients.h"

namespace ibsim::engine::testing {

namespace api = mock_aws::api;

struct FakeImage {
  api::AccountId owner;
  api::Region region;
  std::string name;
  std::string state = "available";
  std::string state_reason;
  bool encrypted = false;
  std::string kms_key_id;
  std::vector<std::string> snapshot_ids;
  std::set<std::string> launch_permissions;
  std::map<std::string, std::string> tags;
  std::optional<sim::AwsError> failure_cause;
};

struct FakeSnapshot {
  api::AccountId owner;
  std::map<std::string, std::string> tags;
  std::set<std::string> create_volume_permissions;
};

struct FakeLaunchTemplate {
  api::AccountId owner;
  api::Region region;
  int64_t default_version = 1;
  std::vector<std::string> version_images = {"ami-original"};  // Version n at n-1.
};

struct CallRecord {
  std::string operation;
  std::string account;  // The caller's account ("" for the service principal).
  std::string region;
  std::string detail;  // Image id, token, role ARN...
};

struct ScriptedFailure {
  std::string operation;
  std::optional<api::AccountId> account;  // The caller's account; empty: any.
  std::optional<api::Region> region;
  sim::AwsError error;
  uint32_t times = 1;          // Calls it applies to.
  bool applied_first = false;  // Perform the call, then lose the answer (kMaybeApplied).
};

class FakeAws final : public client::ClientFactory {
 public:
  explicit FakeAws(sim::Context& ctx) : ctx_(ctx) {}

  // ---- World
  void add_image(const api::AccountId& owner,
                 const api::Region& region,
                 const std::string& image_id,
                 FakeImage image = {},
                 uint32_t snapshots = 1);

  void add_instance_profile(const api::AccountId& account, const std::string& name) {
    instance_profiles_.insert({account, name});
  }

  void add_launch_template(const std::string& id, FakeLaunchTemplate lt) {
    launch_templates_[id] = std::move(lt);
  }

  // Roles that cannot be assumed (AccessDenied), by ARN.
  void deny_role(const std::string& role_arn) { denied_roles_.insert(role_arn); }

  void fail(std::string operation,
            sim::AwsError error,
            uint32_t times = 1,
            std::optional<api::AccountId> account = std::nullopt,
            std::optional<api::Region> region = std::nullopt,
            bool applied_first = false) {
    script_.push_back(ScriptedFailure{std::move(operation),
                                      std::move(account),
                                      std::move(region),
                                      std::move(error),
                                      times,
                                      applied_first});
  }

  // Copies into this (account, region) end `failed` with this cause.
  void fail_copies_into(const api::AccountId& account,
                        const api::Region& region,
                        sim::AwsError cause) {
    failing_copies_[{account, region}] = std::move(cause);
  }

  sim::Duration copy_time = sim::Duration::minutes(10);
  sim::Duration launch_time = sim::Duration::seconds(40);
  sim::Duration create_image_time = sim::Duration::minutes(5);
  int64_t session_seconds = 3600;

  // ---- What happened
  const std::vector<CallRecord>& calls() const { return calls_; }

  std::size_t count(std::string_view operation) const;
  const FakeImage* image(const std::string& id) const;

  const std::map<std::string, FakeImage>& images() const { return images_; }

  const FakeSnapshot* snapshot(const std::string& id) const;
  const FakeLaunchTemplate* launch_template(const std::string& id) const;
  std::optional<std::string> parameter(const api::AccountId& account,
                                       const api::Region& region,
                                       const std::string& name) const;
  uint32_t copy_peak(const api::AccountId& account, const api::Region& region) const;

  uint32_t copy_peak_total() const { return copy_peak_total_; }

  uint32_t copies_in_flight_total() const { return in_flight_total_; }

  const std::map<std::string, std::string>& instances() const { return instance_states_; }

  // ---- ClientFactory
  std::unique_ptr<client::Ec2Client> ec2(const client::Identity& identity,
                                         const api::Region& region) override;
  std::unique_ptr<client::StsClient> sts(const client::Identity& identity,
                                         const api::Region& region) override;
  std::unique_ptr<client::IamClient> iam(const client::Identity& identity) override;
  std::unique_ptr<client::SsmClient> ssm(const client::Identity& identity,
                                         const api::Region& region) override;

  // ---- Used by the fake clients
  struct Caller {
    bool service = false;
    api::AccountId account;
    std::string role_arn;
    std::optional<sim::AwsError> error;  // Unknown or expired credentials.
  };

  Caller resolve(const client::Identity& identity) const;
  // A scripted failure for this call, if any; *applied_first says "do it, then lose the answer".
  std::optional<sim::AwsError> scripted(std::string_view operation,
                                        const Caller& caller,
                                        const api::Region& region,
                                        bool* applied_first);
  void log(std::string operation,
           const Caller& caller,
           const api::Region& region,
           std::string detail);

  sim::Context& ctx_;
  std::map<std::string, FakeImage> images_;
  std::map<std::string, FakeSnapshot> snapshots_;
  std::map<std::string, FakeLaunchTemplate> launch_templates_;
  std::map<std::tuple<api::AccountId, api::Region, std::string>, std::string> tokens_;
  std::map<std::tuple<api::AccountId, api::Region, std::string>, std::string> parameters_;
  std::map<std::pair<api::AccountId, api::Region>, sim::AwsError> failing_copies_;
  std::map<std::pair<api::AccountId, api::Region>, uint32_t> in_flight_;
  std::map<std::pair<api::AccountId, api::Region>, uint32_t> peak_;
  uint32_t in_flight_total_ = 0;
  uint32_t copy_peak_total_ = 0;
  std::set<std::pair<api::AccountId, std::string>> instance_profiles_;
  std::set<std::string> denied_roles_;

  struct Session {
    api::AccountId account;
    std::string role_arn;
    int64_t expiration_unix_ms = 0;
  };

  std::map<std::string, Session> sessions_;  // By access key id.
  std::map<std::string, std::string> instance_states_;
  std::vector<ScriptedFailure> script_;
  std::vector<CallRecord> calls_;
  uint64_t next_id_ = 1;
};

}  // namespace ibsim::engine::testing
