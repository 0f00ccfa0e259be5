#include "src/cli/commands.h"

#include <array>
#include <cstdio>

#include "ibsim_version.h"
#include "src/cli/check_command.h"
#include "src/cli/explain_command.h"
#include "src/cli/load_command.h"
#include "src/cli/run_command.h"
#include "src/cli/serve_command.h"

namespace ibsim::cli {
namespace {

constexpr std::string_view kVersionUsage =
    "Usage: ibsim version\n\nPrints the version and the git commit ibsim was built from.\n";

int run_version(std::span<const std::string> /*args*/);

const std::array<Command, 6> kCommands = {{
    {"check",
     "list every problem of a world and a distribution configuration, each with its fix",
     kCheckUsage,
     run_check},
    {"explain",
     "explain one IAM decision (JSON on stdin, or --world FILE --principal --action)",
     kExplainUsage,
     run_explain},
    {"load",
     "distribute a generated workload (accounts x regions x images) and report makespan, "
     "waits, caps, retries and failures; --chart, --trace",
     kLoadUsage,
     run_load},
    {"run",
     "run scenario files or folders and report (text, json, junit; --trace for Perfetto)",
     kRunUsage,
     run_run},
    {"serve",
     "serve Image Builder, EC2, IAM, STS, KMS and SSM on one port for the AWS CLI and SDKs",
     kServeUsage,
     run_serve},
    {"version", "print the version and the commit it was built from", kVersionUsage, run_version},
}};

int run_version(std::span<const std::string> /*args*/) {
  std::printf("ibsim %s (commit %s)\n", IBSIM_VERSION, IBSIM_GIT_COMMIT);
  return 0;
}

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

const Command* find_command(std::string_view name) {
  for (const Command& c : kCommands) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace ibsim::cli
