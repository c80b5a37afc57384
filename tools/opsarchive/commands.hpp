#pragma once
// opsarchive's subcommands, one file each; main.cpp puts them in the table.

#include <ops/cli.hpp>

namespace opsarchive {

ops::cli::Subcommand rows_command();
ops::cli::Subcommand run_command();
ops::cli::Subcommand files_command();

}  // namespace opsarchive
