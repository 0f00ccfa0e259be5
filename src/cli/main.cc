// ibsim: the command-line entry point. Subcommand dispatch and nothing else; each subcommand's
// work lives in its module (scenario runner, server, load generator).

#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ibsim_version.h"
#include "src/cli/commands.h"

namespace ibsim::cli {
namespace {

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "ibsim %s — offline simulator and test harness for EC2 Image Builder\n"
               "cross-account AMI distribution.\n\n"
               "Usage: ibsim <command> [options]\n\n"
               "Commands:\n",
               IBSIM_VERSION);
  for (const Command& c : commands()) {
    std::fprintf(out, "  %-10s %s\n", std::string(c.name).c_str(), std::string(c.summary).c_str());
  }
  std::fprintf(out,
               "\nGlobal options:\n"
               "  -h, --help     show this help (or `ibsim <command> --help`)\n"
               "  -V, --version  print the version and the commit it was built from\n\n"
               "Exit status: 0 on success, 1 when a run's expectations failed, 2 on bad usage\n"
               "or bad input.\n");
}

int run_main(std::span<const std::string> args) {
  if (args.empty()) {
    print_usage(stderr);
    return 2;
  }
  const std::string& first = args[0];
  if (first == "-h" || first == "--help" || first == "help") {
    if (first == "help" && args.size() > 1) {
      if (const Command* c = find_command(args[1])) {
        std::fputs(std::string(c->usage).c_str(), stdout);
        return 0;
      }
      std::fprintf(stderr, "ibsim: unknown command '%s'\n", args[1].c_str());
      return 2;
    }
    print_usage(stdout);
    return 0;
  }
  const Command* c = find_command(first == "-V" || first == "--version" ? "version" : first);
  if (c == nullptr) {
    std::fprintf(stderr, "ibsim: unknown command '%s' (see `ibsim --help`)\n", first.c_str());
    return 2;
  }
  const std::span<const std::string> rest = args.subspan(1);
  for (const std::string& a : rest) {
    if (a == "-h" || a == "--help") {
      std::fputs(std::string(c->usage).c_str(), stdout);
      return 0;
    }
  }
  return c->run(rest);
}

}  // namespace
}  // namespace ibsim::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The one top-level catch outside the server's router: a stray exception becomes a clear
  // message and exit status 3 rather than std::terminate.
  try {
    return ibsim::cli::run_main(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ibsim: internal error: %s\n", e.what());
    return 3;
  } catch (...) {
    std::fprintf(stderr, "ibsim: internal error (unknown exception)\n");
    return 3;
  }
}
