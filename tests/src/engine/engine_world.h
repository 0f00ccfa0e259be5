#pragma once
// EngineWorld: a complete simulated AWS for end-to-end engine tests, built in C++ with the models'
// seed functions — every model of a services::World, the direct transport and the distribution
// engine plugged in as the world's Image Builder workflow — plus helpers for what AWS's
// cross-account distribution page asks of the accounts: the cross-account role (trust, managed
// policy, inline KMS and launch-template policies, each optional so a test can leave one out), key
// policies naming target accounts, source images (encrypted or not, HVM or PV) and launch
// templates. The engine talks through the transport the test binary is built for: direct
// (ibsim_engine_tests), or wire (ibsim_engine_wire_tests, IBSIM_ENGINE_TEST_WIRE): every call
// encoded, signed, answered by the server's router and decoded again.
//
//   EngineWorld w;
//   w.account(kOwner); w.account(kTarget); w.cross_account_role(kTarget, kOwner, {});
//   auto r = w.distribute(w.plan(ami, {kSource}, {kTarget}));

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/kms/kms_model.h"
#include "mock_aws/server/router.h"
#include "mock_aws/services/world.h"
#include "mock_aws/ssm/ssm_model.h"
#include "sim/context.h"
#include "src/engine/distribution_engine.h"
#include "src/scenario/direct_clients.h"

namespace ibsim::engine::testing {

namespace api = mock_aws::api;
namespace ib = mock_aws::api::imagebuilder;

struct RoleSetup {
  bool create = true;
  bool trust_source = true;       // Trust policy names the source account.
  bool managed_policy = true;     // Ec2ImageBuilderCrossAccountDistributionAccess attached.
  bool kms_inline_policy = true;  // The inline KMS policy for encrypted AMIs.
  bool launch_template_policy = false;
  bool ssm_policy = false;  // ssm:PutParameter, for ssmParameterConfigurations.
};

// How the engine reaches the models.
enum class Transport : uint8_t { kDirect, kWire };

#ifdef IBSIM_ENGINE_TEST_WIRE
inline constexpr Transport kTestTransport = Transport::kWire;
#else
inline constexpr Transport kTestTransport = Transport::kDirect;
#endif

class EngineWorld {
 public:
  struct Options {
    uint64_t seed = 7;
    mock_aws::ec2::Ec2Model::Options ec2;
    EngineOptions engine;
    Transport transport = kTestTransport;
  };

  EngineWorld() : EngineWorld(Options{}) {}

  explicit EngineWorld(Options options);

  ~EngineWorld() { world.set_workflow(nullptr); }

  EngineWorld(const EngineWorld&) = delete;
  EngineWorld& operator=(const EngineWorld&) = delete;

  void account(const api::AccountId& account);
  // A customer managed key whose policy lets its own account's IAM decide and lets each of
  // `users` (accounts) use it for EBS: the cross-account statement of AWS's page.
  std::string key(const api::AccountId& owner,
                  const api::Region& region,
                  const std::vector<api::AccountId>& users = {});
  void cross_account_role(const api::AccountId& target,
                          const api::AccountId& source,
                          const RoleSetup& setup);
  std::string source_image(const api::AccountId& owner,
                           const api::Region& region,
                           const std::string& kms_key_arn = {},
                           const std::string& virtualization = "hvm",
                           const std::string& name = "app-source");
  std::string launch_template(const api::AccountId& owner,
                              const api::Region& region,
                              bool tagged_created_by,
                              const std::string& name = "app-template");

  ib::DistributionPlan plan(const api::AccountId& owner,
                            const std::string& source_ami,
                            const std::vector<api::Region>& regions,
                            const std::vector<api::AccountId>& targets) const;
  ib::DistributionResult distribute(const ib::DistributionPlan& plan);

  // The identity of an account's root (a 12-digit access key id, as in LocalStack).
  static client::Identity root(const api::AccountId& account);

  // Copies, encryption and content of an AMI as the EC2 model holds it.
  const mock_aws::ec2::ImageRecord* image(const api::Region& region, const std::string& id) const {
    return ec2.find_image(region, id);
  }

  // The key ARN of the AMI's first snapshot ("" when unencrypted).
  std::string snapshot_key(const api::Region& region, const std::string& image_id) const;

  sim::Context ctx;
  mock_aws::services::World world;
  mock_aws::kms::KmsModel& kms;
  mock_aws::ec2::Ec2Model& ec2;
  mock_aws::ssm::SsmModel& ssm;
  scenario::DirectClientFactory direct;
  // Wire transport only: the router (lenient auth, so root() identities work as in the direct
  // transport; the simulation's civil clock for SigV4) and the clients that go through it.
  std::unique_ptr<mock_aws::server::Router> router;
  std::unique_ptr<client::ClientFactory> wire;
  client::ClientFactory& clients;  // The transport under test.
  DistributionEngine engine;
};

}  // namespace ibsim::engine::testing
