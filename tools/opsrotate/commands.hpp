#pragma once
// opsrotate's subcommands; main.cpp puts them in the table.

#include <ops/cli.hpp>

namespace opsrotate {

// The tool: name, summary, config section and the table of these subcommands.
ops::cli::Tool tool();

// `opsrotate [OPTIONS] CONFIG…`: what `logrotate CONFIG…` does.
ops::cli::Subcommand rotate_command();

}  // namespace opsrotate
