#pragma once
// `ibsim serve`: every modelled service (Image Builder, EC2, IAM, STS, KMS, SSM) behind AWS's
// wire protocols on one local HTTP port, for the real AWS CLI and SDKs (docs/serve.md).

#include <span>
#include <string>
#include <string_view>

namespace ibsim::cli {

extern const std::string_view kServeUsage;

int run_serve(std::span<const std::string> args);

}  // namespace ibsim::cli
