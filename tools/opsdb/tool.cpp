// opsdb's command-line tool: its summary, config section and subcommand
// table, for main.cpp and for the tests that check every option is documented.
#include "opsdb/commands.hpp"

namespace opsdb {

ops::cli::Tool tool() {
  std::vector<ops::cli::Subcommand> subcommands = upkeep_commands();
  subcommands.push_back(activity_command());
  subcommands.push_back(slow_command());
  subcommands.push_back(bloat_command());
  subcommands.push_back(run_command());
  return ops::cli::Tool{"opsdb",
                        "Database upkeep (analyze, vacuum, optimize, check, reindex) that never blocks the "
                        "application, and what is running, slow and bloated.",
                        "dbupkeep",
                        std::move(subcommands),
                        "",
                        check_dbupkeep_sections};
}

}  // namespace opsdb
