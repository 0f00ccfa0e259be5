#pragma once
// The inputs of `ibsim check`, read as the AWS CLI reads `--cli-input-json`: a distribution
// configuration (create-distribution-configuration's shape: name, description, distributions,
// tags) and an image recipe (create-image-recipe's shape). What the CLI itself refuses — JSON
// syntax, unknown keys, wrong types, missing required members — is an input error naming the file
// and the JSON path (`ibsim check` exits 2); what the service refuses (patterns, lengths, ranges)
// is kept as a finding, which the check reports as a problem with the rest.
//
//   auto dc = decode_distribution_configuration(text, "distribution.json");
//   if (!dc.ok()) { print(dc.error().message); return 2; }

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/imagebuilder_types.h"
#include "sim/base/result.h"

namespace ibsim::check {

inline constexpr std::size_t kInputFileBytesMax = 2u << 20;  // As the REST-JSON body limit.
// The clientToken the check fills in when the file has none (the CLI would generate a UUID).
inline constexpr std::string_view kCheckClientToken = "ibsim-check";

template <typename T>
struct DecodedInput {
  T input;
  // Service-side validation errors (InvalidParameterValueException), first one per call.
  std::vector<sim::AwsError> findings;
};

sim::Result<DecodedInput<mock_aws::api::imagebuilder::CreateDistributionConfigurationInput>>
decode_distribution_configuration(std::string_view text, std::string_view source);

sim::Result<DecodedInput<mock_aws::api::imagebuilder::CreateImageRecipeInput>> decode_image_recipe(
    std::string_view text, std::string_view source);

// A whole file, at most kInputFileBytesMax bytes; errors name the path.
sim::Result<std::string> read_input_file(const std::string& path);

}  // namespace ibsim::check
