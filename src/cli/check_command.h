#pragma once
// `ibsim check`: the static preflight of a world (account setup) and a distribution configuration
// (create-distribution-configuration's --cli-input-json), optionally with the image recipe or the
// AMI to distribute — every problem at once, each with its fix (docs/check.md). The work is in
// src/check; this file parses flags, reads the files and prints the report.

#include <span>
#include <string>
#include <string_view>

namespace ibsim::cli {

extern const std::string_view kCheckUsage;

int run_check(std::span<const std::string> args);

}  // namespace ibsim::cli
