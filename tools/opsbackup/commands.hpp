#pragma once
// opsbackup's subcommands, one file each; main.cpp puts them in the table.

#include <ops/cli.hpp>

namespace opsbackup {

// The tool: name, summary, config section and the table of these subcommands.
ops::cli::Tool tool();

ops::cli::Subcommand db_command();
ops::cli::Subcommand files_command();
ops::cli::Subcommand list_command();
ops::cli::Subcommand verify_command();
ops::cli::Subcommand prune_command();
ops::cli::Subcommand restore_command();
ops::cli::Subcommand run_command();

}  // namespace opsbackup
