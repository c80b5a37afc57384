#pragma once
// opsrotate's subcommands; main.cpp puts them in the table.

#include <ops/cli.hpp>

namespace opsrotate {

// `opsrotate [OPTIONS] CONFIG…`: what `logrotate CONFIG…` does.
ops::cli::Subcommand rotate_command();

}  // namespace opsrotate
