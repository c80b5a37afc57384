// opsdf: filesystem, directory and database usage, and when the disk fills.
#include "opsdf/commands.hpp"

int main(int argc, char** argv) {
  ops::cli::Tool tool{
      "opsdf",
      "Filesystem, directory and table sizes, with growth history and a forecast of when disks fill.",
      "df",
      {opsdf::fs_command(), opsdf::du_command(), opsdf::db_command(), opsdf::record_command(),
       opsdf::forecast_command()},
      "fs"};
  return ops::cli::run(tool, argc, argv);
}
