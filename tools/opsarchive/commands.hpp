#pragma once
// opsarchive's subcommands, one file each; main.cpp puts them in the table.

#include <ops/cli.hpp>

namespace opsarchive {

// The tool: name, summary, config section and the table of these subcommands.
ops::cli::Tool tool();

ops::cli::Subcommand rows_command();
ops::cli::Subcommand run_command();
ops::cli::Subcommand files_command();

}  // namespace opsarchive
