// opsarchive's command-line tool: its summary, config section and subcommand
// table, for main.cpp and for the tests that check every option is documented.
#include "opsarchive/archive_jobs.hpp"
#include "opsarchive/commands.hpp"

namespace opsarchive {

ops::cli::Tool tool() {
  return ops::cli::Tool{"opsarchive",
                      "Move or purge old rows in batches without losing one; compress and expire old files.",
                      "archive",
                      {opsarchive::rows_command(), opsarchive::files_command(), opsarchive::run_command()},
                      "",
                      check_archive_sections};
}

}  // namespace opsarchive
