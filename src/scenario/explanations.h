#pragma once
// Turns ibsim's explanations — the JSON a denial carries in AwsError::explanation, and the
// engine's per-job JobFailure — into Explanation records a person reads: what failed where, AWS's
// text, the cause, why (which policy decided, which statement is missing, in which account) and
// the fix, with the statement to add as compact JSON.

#include <string>
#include <string_view>

#include "mock_aws/api/imagebuilder_workflow.h"
#include "sim/base/result.h"
#include "src/scenario/runner.h"

namespace ibsim::scenario {

// A denied or failed API call of a step.
Explanation explanation_from_error(const sim::AwsError& error, std::string_view title);
// One failed distribution job of an image.
Explanation explanation_from_job(const mock_aws::api::imagebuilder::JobFailure& job);
// A failed build.
Explanation explanation_from_build(const mock_aws::api::imagebuilder::BuildResult& build,
                                   std::string_view image_arn);

}  // namespace ibsim::scenario
