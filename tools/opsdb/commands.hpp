#pragma once
// opsdb's command line: the upkeep verbs (analyze, vacuum, optimize, check,
// reindex), what a person asks first when the database is slow (activity,
// slow, bloat), and `run`, the configured monthly upkeep for cron.

#include <ops/cli.hpp>

#include <vector>

namespace opsdb {

// The tool: name, summary, config section and the table of subcommands.
ops::cli::Tool tool();

// One subcommand per verb of upkeep/verb.hpp (upkeep/upkeep_command.cpp).
std::vector<ops::cli::Subcommand> upkeep_commands();
ops::cli::Subcommand activity_command();  // activity/activity_command.cpp
ops::cli::Subcommand slow_command();      // slow/slow_command.cpp
ops::cli::Subcommand bloat_command();     // bloat/bloat_command.cpp
ops::cli::Subcommand run_command();       // run/run_command.cpp

// Refuses a bad [dbupkeep.NAME] section (exit 3, file and line), whichever
// subcommand runs and whichever tool of the suite reads the file.
void check_dbupkeep_sections(const ops::Config& config);

}  // namespace opsdb
