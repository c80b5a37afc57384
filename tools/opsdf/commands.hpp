#pragma once
// opsdf's subcommands, one file each; main.cpp puts them in the table.

#include <ops/cli.hpp>

namespace opsdf {

// The tool: name, summary, config section and the table of these subcommands.
ops::cli::Tool tool();

ops::cli::Subcommand fs_command();
ops::cli::Subcommand du_command();
ops::cli::Subcommand db_command();
ops::cli::Subcommand record_command();
ops::cli::Subcommand forecast_command();

}  // namespace opsdf
