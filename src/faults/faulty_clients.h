#pragma once
// FaultyClientFactory: a ClientFactory decorator that puts a FaultInjector between the engine and
// any transport. Every call of every client it makes asks the injector first: a refused call
// never reaches the inner client (throttled, 5xx, dropped: kNotSent, region dark); a call whose
// reply is lost runs on the inner client and then answers kMaybeApplied, so the caller must retry
// with its idempotency token; latency from delay rules is collected for the caller to wait out
// (take_call_latency). The account a call acts in is known for root identities (a 12-digit access
// key id) and for every session assumed through this factory (AssumeRole's answer names it).
//
//   FaultInjector injector(ctx, plan);
//   FaultyClientFactory clients(direct, injector);
//   DistributionEngine engine(ctx, clients, {});

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "mock_aws/api/ids.h"
#include "sim/time.h"
#include "src/client/clients.h"
#include "src/client/identity.h"
#include "src/faults/fault_injector.h"

namespace ibsim::faults {

class FaultyClientFactory final : public client::ClientFactory {
 public:
  // Sessions whose account is remembered; past this the memory is cleared (a later call of a
  // forgotten session matches only account-free rules).
  static constexpr std::size_t kSessionsRememberedMax = 1'000'000;

  // `inner` and `injector` outlive the factory and its clients.
  FaultyClientFactory(client::ClientFactory& inner, FaultInjector& injector)
      : inner_(inner), injector_(injector) {}

  std::unique_ptr<client::Ec2Client> ec2(const client::Identity& identity,
                                         const api::Region& region) override;
  std::unique_ptr<client::StsClient> sts(const client::Identity& identity,
                                         const api::Region& region) override;
  std::unique_ptr<client::IamClient> iam(const client::Identity& identity) override;
  std::unique_ptr<client::SsmClient> ssm(const client::Identity& identity,
                                         const api::Region& region) override;

  // The latency delay rules added to calls since the last take, reset to zero.
  sim::Duration take_call_latency() override {
    const sim::Duration d = latency_;
    latency_ = sim::Duration::zero();
    return d;
  }

  // ---- For the clients
  FaultInjector& injector() { return injector_; }

  void add_latency(sim::Duration d) { latency_ += d; }

  // The account `identity` acts in, when known.
  std::optional<api::AccountId> account_of(const client::Identity& identity) const;
  void remember_session(const std::string& access_key_id, const api::AccountId& account);

 private:
  client::ClientFactory& inner_;
  FaultInjector& injector_;
  sim::Duration latency_;
  std::unordered_map<std::string, api::AccountId> session_accounts_;
};

}  // namespace ibsim::faults
