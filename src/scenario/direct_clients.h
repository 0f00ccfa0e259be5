#pragma once
// DirectClientFactory: the direct transport — typed clients that call the service models
// in-process, with no encoding. Each client authenticates its identity the way the router would:
// an access key id is resolved through STS (users' and roots' keys, sessions, 12-digit account
// aliases), the secret and session token must match, and expired sessions are refused with each
// service family's error. A service principal ("imagebuilder.amazonaws.com") is trusted as is:
// only the composition root can make one, as only AWS can act as its own service. The client then
// builds the api::CallContext (principal, region, a request id from the seeded RNG, the request
// time from the simulation clock, the access key id) once, and reuses it for every call, so a call
// costs a field update and the model's own work — the load tests run a million copies through it.
//
//   DirectClientFactory clients(world);
//   DistributionEngine engine(world.context(), clients, {});
//   world.set_workflow(&engine);

#include <memory>
#include <string_view>

#include "mock_aws/api/call_context.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/services/world.h"
#include "mock_aws/ssm/ssm_model.h"
#include "mock_aws/sts/sts_model.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/rng.h"
#include "src/client/clients.h"

namespace ibsim::scenario {

namespace api = mock_aws::api;

// The protocol family of a service decides how an authentication failure is worded
// (aws-facts §6.2).
enum class ServiceFamily : uint8_t { kEc2, kQuery, kJson };

class DirectClientFactory final : public client::ClientFactory {
 public:
  struct Models {
    mock_aws::iam::IamModel& iam;
    mock_aws::sts::StsModel& sts;
    mock_aws::ec2::Ec2Model& ec2;
    // Null: SSM calls answer InvalidAction (a world without Parameter Store).
    mock_aws::ssm::SsmModel* ssm = nullptr;
  };

  DirectClientFactory(sim::Context& ctx, Models models);
  // Every model of a world.
  explicit DirectClientFactory(mock_aws::services::World& world);

  std::unique_ptr<client::Ec2Client> ec2(const client::Identity& identity,
                                         const api::Region& region) override;
  std::unique_ptr<client::StsClient> sts(const client::Identity& identity,
                                         const api::Region& region) override;
  std::unique_ptr<client::IamClient> iam(const client::Identity& identity) override;
  std::unique_ptr<client::SsmClient> ssm(const client::Identity& identity,
                                         const api::Region& region) override;

  // ---- Shared by the clients
  // The principal behind `identity`, or the family's authentication error.
  sim::Result<api::Principal> authenticate(const client::Identity& identity,
                                           ServiceFamily family,
                                           sim::Instant* expires_at) const;
  // Writes a fresh request id (UUID form, from the seeded RNG) into `out`, reusing its storage.
  void next_request_id(std::string& out);

  sim::Context& ctx() { return ctx_; }

  const Models& models() const { return models_; }

 private:
  sim::Context& ctx_;
  Models models_;
  sim::Rng request_ids_;
};

// How a client keeps its CallContext current: authenticated once, re-checked when IAM changes
// or the session's expiry passes, and stamped with a request id and time per call.
class DirectSession {
 public:
  DirectSession(DirectClientFactory& factory,
                client::Identity identity,
                api::Region region,
                ServiceFamily family);

  // The context for the next call, or the authentication error.
  sim::Result<const api::CallContext*> next_call();

  DirectClientFactory& factory() { return factory_; }

 private:
  DirectClientFactory& factory_;
  client::Identity identity_;
  ServiceFamily family_;
  api::CallContext call_;
  bool authenticated_ = false;
  uint64_t iam_generation_ = 0;
  sim::Instant expires_at_ = sim::Instant::max();
};

}  // namespace ibsim::scenario
