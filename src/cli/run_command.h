#pragma once
// `ibsim run PATH...`: runs scenario files (or every scenario under folders) and reports — text
// for people, JSON for tools, JUnit XML for CI, and a Chrome trace for Perfetto. Exit status 0
// when every expectation held, 1 when one failed, 2 on bad usage or bad input.

#include <span>
#include <string>
#include <string_view>

namespace ibsim::cli {

extern const std::string_view kRunUsage;

int run_run(std::span<const std::string> args);

}  // namespace ibsim::cli
