#pragma once
// CallContext: everything a service model needs to know about one request besides its input —
// who is calling (already authenticated), at which regional endpoint, and on whose behalf. Built
// by the router for wire requests and by the direct transport for in-process calls, so a model
// sees the same facts either way.
//
//   Result<EncryptOutput> encrypt(const CallContext& ctx, const EncryptInput& in);

#include <cstdint>
#include <string>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/principal.h"

namespace ibsim::mock_aws::api {

struct CallContext {
  Principal principal;
  Region region;  // The endpoint's region (for IAM/STS: the signing region, informational).
  std::string request_id;  // Echoed in responses and traces.
  // Set when an AWS service makes this call for the principal (EC2 calling KMS during a copy):
  // "ec2.us-west-2.amazonaws.com". Feeds kms:ViaService and aws:CalledVia.
  std::string via_service;
  // Access key id the request was signed with; for assumed-role sessions it names the session
  // (and its session policy) in STS's store.
  std::string access_key_id;
  // Service-to-service calls on behalf of a resource owner (aws:SourceAccount / aws:SourceArn).
  std::string source_account;
  std::string source_arn;
  int64_t request_unix_ms = 0;  // aws:CurrentTime, from the simulation clock.
};

}  // namespace ibsim::mock_aws::api
