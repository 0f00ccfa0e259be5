#pragma once
// `ibsim load`: a generated workload (accounts x regions x images, from flags or a profile file)
// distributed through the engine and the models in virtual time, with copy-time and fault models;
// prints the report (text or JSON), and optionally writes the chart (--chart) and a Chrome trace
// (--trace). Parsing flags is all this file does; the work is src/load's.

#include <span>
#include <string>
#include <string_view>

namespace ibsim::cli {

extern const std::string_view kLoadUsage;

int run_load(std::span<const std::string> args);

}  // namespace ibsim::cli
