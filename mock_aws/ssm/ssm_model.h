#pragma once
// SsmModel: a minimal SSM Parameter Store for every account and region of a world — PutParameter
// (String, StringList, SecureString; data types text and aws:ec2:image; Overwrite; versions),
// GetParameter (with ":<version>" selectors), GetParameters and DeleteParameter — enough for Image
// Builder's ssmParameterConfigurations and `ssm:` parent images. Each operation first authorizes
// ssm:<Action> on arn:aws:ssm:<region>:<account>:parameter/<name without leading slash>.
// Sim thread only.
//
//   SsmModel ssm(ctx, authorizer);
//   ssm.put_parameter(call, {.name = "/golden/ami", .value = ami, .type = "String",
//                            .data_type = "aws:ec2:image"});

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/api/ssm_types.h"
#include "mock_aws/auth/authorizer.h"
#include "sim/base/result.h"
#include "sim/context.h"

namespace ibsim::mock_aws::ssm {

class SsmModel {
 public:
  // Parameter Store quotas (Systems Manager endpoints and quotas).
  struct Options {
    std::size_t standard_parameters_max = 10'000;  // Per account and region.
    std::size_t standard_value_max = 4'096;        // Characters, Standard tier.
    std::size_t advanced_value_max = 8'192;        // Characters, Advanced tier.
    std::size_t hierarchy_levels_max = 15;
    std::size_t name_max = 1'011;         // Characters of the fully qualified name.
    std::size_t versions_kept_max = 100;  // Older versions are dropped.
    std::size_t get_parameters_names_max = 10;
    std::size_t description_max = 1'024;
  };

  SsmModel(sim::Context& ctx, auth::Authorizer& authorizer) : SsmModel(ctx, authorizer, {}) {}

  SsmModel(sim::Context& ctx, auth::Authorizer& authorizer, Options options);

  SsmModel(const SsmModel&) = delete;
  SsmModel& operator=(const SsmModel&) = delete;

  sim::Result<api::ssm::PutParameterOutput> put_parameter(const api::CallContext& ctx,
                                                          const api::ssm::PutParameterInput& in);
  sim::Result<api::ssm::GetParameterOutput> get_parameter(const api::CallContext& ctx,
                                                          const api::ssm::GetParameterInput& in);
  sim::Result<api::ssm::GetParametersOutput> get_parameters(const api::CallContext& ctx,
                                                            const api::ssm::GetParametersInput& in);
  sim::Result<api::ssm::DeleteParameterOutput> delete_parameter(
      const api::CallContext& ctx, const api::ssm::DeleteParameterInput& in);

  // ---- Seeds and inspection (no caller, no authorization) ----
  // Creates or overwrites a parameter under the API's rules, except that names under the reserved
  // "aws"/"ssm" prefixes are allowed (for AWS's public parameters such as
  // /aws/service/ami-amazon-linux-latest/...).
  sim::Result<api::ssm::PutParameterOutput> seed_parameter(const api::AccountId& account,
                                                           const api::Region& region,
                                                           const api::ssm::PutParameterInput& in);
  // The latest version of a parameter, or nullopt.
  std::optional<api::ssm::Parameter> find_parameter(const api::AccountId& account,
                                                    const api::Region& region,
                                                    std::string_view name) const;

  // arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>
  static std::string parameter_arn(const api::Region& region,
                                   const api::AccountId& account,
                                   std::string_view name);

 private:
  struct Version {
    std::string value;
    std::string type;
    std::string data_type;
    int64_t last_modified_ms = 0;
  };

  struct Record {
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> key_id;
    std::optional<std::string> allowed_pattern;
    std::string tier;
    std::map<std::string, std::string> tags;
    int64_t version = 0;
    std::map<int64_t, Version> versions;  // Kept versions, oldest first.
  };

  using RegionKey = std::pair<api::AccountId, api::Region>;
  using Store = std::map<std::string, Record, std::less<>>;

  sim::Result<api::ssm::PutParameterOutput> put(const api::AccountId& account,
                                                const api::Region& region,
                                                const api::ssm::PutParameterInput& in,
                                                bool seeding);
  sim::Status authorize(const api::CallContext& ctx,
                        std::string_view action,
                        const std::string& arn,
                        const Record* record);
  const Record* find(const api::AccountId& account,
                     const api::Region& region,
                     std::string_view name) const;
  api::ssm::Parameter view(const api::AccountId& account,
                           const api::Region& region,
                           const Record& record,
                           int64_t version,
                           bool with_selector) const;

  sim::Context& ctx_;
  auth::Authorizer& authorizer_;
  Options options_;
  std::map<RegionKey, Store> stores_;
};

}  // namespace ibsim::mock_aws::ssm
