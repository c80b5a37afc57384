// opsarchive: move or purge old rows in batches without losing one; compress
// and expire old files.
#include "opsarchive/commands.hpp"

int main(int argc, char** argv) {
  ops::cli::Tool tool{"opsarchive",
                      "Move or purge old rows in batches without losing one; compress and expire old files.",
                      "archive",
                      {opsarchive::rows_command(), opsarchive::files_command(), opsarchive::run_command()},
                      ""};
  return ops::cli::run(tool, argc, argv);
}
