// opsbackup: database and file backups that cannot fail silently.
#include "opsbackup/commands.hpp"

int main(int argc, char** argv) {
  ops::cli::Tool tool{"opsbackup",
                      "Database and file backups that are verified, pruned by retention and restorable.",
                      "backup",
                      {opsbackup::db_command(), opsbackup::files_command(), opsbackup::verify_command(),
                       opsbackup::list_command(), opsbackup::prune_command(), opsbackup::restore_command(),
                       opsbackup::run_command()},
                      ""};
  return ops::cli::run(tool, argc, argv);
}
