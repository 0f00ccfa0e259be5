#pragma once
// The router's per-service operation tables (router_tables.cc): for each operation of
// scripts/shapes/operations.txt, its AWS name and the row that serves it, or a null handler when
// the model does not implement it. Internal to mock_aws/server.

#include <span>
#include <string_view>

#include "mock_aws/protocol/shape_model.h"
#include "mock_aws/server/router.h"

namespace ibsim::mock_aws::server::internal {

struct Route {
  std::string_view operation;  // botocore operation name: "CopyImage"
  Router::Handler handler;     // Null: the model lacks the operation.
};

std::span<const Route> routes(protocol::ServiceId service);

}  // namespace ibsim::mock_aws::server::internal
