#pragma once
// Dispatcher: how a scenario's API-call steps reach AWS — (service, operation, identity, region,
// input Document) in, the output Document or the AwsError out. The runner only sees this
// interface. InProcessDispatcher is the first implementation: it authenticates the identity as
// the router would, fills absent idempotency tokens as the CLI does, validates the input with the
// wire codec's own validate_input (so scenario inputs get the same shape errors the wire gives),
// and calls the model through a table of mapping::call rows. A wire implementation (encode → sign
// → router → decode) can replace it without touching the runner.
//
//   InProcessDispatcher d(world, clients);
//   auto out = d.call({.service = ServiceId::kKms, .operation = "DisableKey",
//                      .identity = root, .region = region, .input = {{"KeyId", arn}}});

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/protocol/document.h"
#include "mock_aws/protocol/shape_model.h"
#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "sim/rng.h"
#include "src/client/identity.h"
#include "src/scenario/direct_clients.h"

namespace ibsim::scenario {

struct CallRequest {
  mock_aws::protocol::ServiceId service = mock_aws::protocol::ServiceId::kImageBuilder;
  std::string_view operation;  // botocore name: "CreateDistributionConfiguration"
  client::Identity identity;
  mock_aws::api::Region region;
  mock_aws::protocol::Document input;  // botocore member names, as --cli-input-json takes them
};

class Dispatcher {
 public:
  virtual ~Dispatcher() = default;

  // True when `operation` of `service` can be dispatched.
  virtual bool supports(mock_aws::protocol::ServiceId service,
                        std::string_view operation) const = 0;
  // The output Document, or the service's error (authentication, validation, the model's own).
  virtual sim::Result<mock_aws::protocol::Document> call(const CallRequest& request) = 0;
};

// The operations InProcessDispatcher serves, by service (for docs, tests and error messages).
std::vector<std::string_view> dispatchable_operations(mock_aws::protocol::ServiceId service);

class InProcessDispatcher final : public Dispatcher {
 public:
  // `world` and `auth` outlive the dispatcher; `auth` authenticates identities exactly as the
  // engine's own clients are authenticated.
  InProcessDispatcher(mock_aws::services::World& world, DirectClientFactory& auth);

  bool supports(mock_aws::protocol::ServiceId service, std::string_view operation) const override;
  sim::Result<mock_aws::protocol::Document> call(const CallRequest& request) override;

 private:
  std::string next_uuid(sim::Rng& rng);

  mock_aws::services::World& world_;
  DirectClientFactory& auth_;
  sim::Rng request_ids_;
  sim::Rng tokens_;
};

}  // namespace ibsim::scenario
