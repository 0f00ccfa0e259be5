#pragma once
// Helpers shared by the Image Builder model's source files (not part of its public interface):
// List filters, the not-found / already-exists / dependency errors, and tag-map conversions.

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/imagebuilder/imagebuilder_errors.h"
#include "mock_aws/imagebuilder/imagebuilder_model.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::imagebuilder::internal {

// botocore FilterList: at most 10 filters of 1..10 values each.
inline constexpr std::size_t kFiltersMax = 10;
inline constexpr std::size_t kFilterValuesMax = 10;

// Every filter names one of `allowed` and has 1..10 values.
sim::Status check_filters(const std::vector<api::imagebuilder::Filter>& filters,
                          std::span<const std::string_view> allowed);

// Filters AND together, a filter's values OR together; values compare exactly. `field` returns
// the item's value for a filter name (nullopt: the item has none, so the filter fails).
bool filters_match(const std::vector<api::imagebuilder::Filter>& filters,
                   const std::function<std::optional<std::string>(std::string_view)>& field);

// Unconfirmed: AWS's texts for these three errors; the codes are from the botocore model.
sim::AwsError not_found(std::string_view arn);
sim::AwsError already_exists(std::string_view arn);
sim::AwsError dependency(std::string_view arn, std::string_view used_by);

// Unconfirmed: AWS's text for a quota error (ServiceQuotaExceededException, HTTP 402).
sim::AwsError quota_exceeded(std::string_view what, std::size_t limit);

}  // namespace ibsim::mock_aws::imagebuilder::internal

namespace ibsim::mock_aws::imagebuilder {

// The model's idempotency templates, used by each of its source files.

template <typename In, typename Out>
std::optional<sim::Result<Out>> ImageBuilderModel::replay(TokenCache<In, Out>& cache,
                                                          const std::string& token,
                                                          const In& in) const {
  const auto it = cache.find(token);
  if (it == cache.end()) {
    return std::nullopt;
  }
  if (ctx_.now() - it->second.at > options_.client_token_window) {
    cache.erase(it);
    return std::nullopt;
  }
  if (!(it->second.input == in)) {
    return sim::Result<Out>(imagebuilder_error(ErrorCode::kIdempotentParameterMismatch,
                                               std::string(kIdempotentMismatchMessage)));
  }
  return sim::Result<Out>(it->second.output);
}

template <typename In, typename Out>
void ImageBuilderModel::remember(TokenCache<In, Out>& cache,
                                 const std::string& token,
                                 const In& in,
                                 const Out& out) {
  cache.insert_or_assign(token, TokenEntry<In, Out>{in, out, ctx_.now()});
}

}  // namespace ibsim::mock_aws::imagebuilder
