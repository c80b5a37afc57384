// opsbackup's command-line tool: its summary, config section and subcommand
// table, for main.cpp and for the tests that check every option is documented.
#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/commands.hpp"

namespace opsbackup {

ops::cli::Tool tool() {
  return ops::cli::Tool{"opsbackup",
                      "Database and file backups that are verified, pruned by retention and restorable.",
                      "backup",
                      {opsbackup::db_command(), opsbackup::files_command(), opsbackup::verify_command(),
                       opsbackup::list_command(), opsbackup::prune_command(), opsbackup::restore_command(),
                       opsbackup::run_command()},
                      "",
                      check_backup_sections};
}

}  // namespace opsbackup
