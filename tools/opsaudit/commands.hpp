#pragma once
// opsaudit's command line: a subcommand per audit (logins, perms, changes,
// db, logs) and `run` (the default), the configured weekly audit as one report.

#include <ops/cli.hpp>

namespace opsaudit {

// The tool: name, summary, config section and the table of subcommands.
ops::cli::Tool tool();

// Refuses a bad [audit.NAME] section (exit 3, file and line), whichever
// subcommand runs and whichever tool of the suite reads the file.
void check_audit_sections(const ops::Config& config);

}  // namespace opsaudit
