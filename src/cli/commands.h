#pragma once
// The subcommand table of `ibsim`. Each command parses its own flags (src/cli/args.h) and calls
// into its module; adding a command is one row in commands.cc.

#include <span>
#include <string>
#include <string_view>

namespace ibsim::cli {

struct Command {
  std::string_view name;
  std::string_view summary;  // One line for `ibsim --help`.
  std::string_view usage;    // Full text for `ibsim <command> --help`.
  int (*run)(std::span<const std::string> args);
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);

}  // namespace ibsim::cli
