#pragma once
// opshealth's command line: one subcommand per kind of check, and `all`
// (the default), which runs what ops.conf configures or the host checks.

#include <ops/cli.hpp>

namespace opshealth {

// The tool: name, summary, config section and the table of subcommands.
ops::cli::Tool tool();

// Refuses a bad [health.NAME] section (exit 3, file and line), whichever
// subcommand runs and whichever tool of the suite reads the file.
void check_health_sections(const ops::Config& config);

}  // namespace opshealth
