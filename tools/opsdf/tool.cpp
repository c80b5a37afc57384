// opsdf's command-line tool: its summary, config section and subcommand
// table, for main.cpp and for the tests that check every option is documented.
#include "opsdf/commands.hpp"

namespace opsdf {

ops::cli::Tool tool() {
  return ops::cli::Tool{
      "opsdf",
      "Filesystem, directory and table sizes, with growth history and a forecast of when disks fill.",
      "df",
      {opsdf::fs_command(), opsdf::du_command(), opsdf::db_command(), opsdf::record_command(),
       opsdf::forecast_command()},
      "fs"};
}

}  // namespace opsdf
