// opsdb activity: NOT BUILT YET (the frame's placeholder; its helper replaces this file).
#include "opsdb/commands.hpp"

#include <ops/error.hpp>

namespace opsdb {

ops::cli::Subcommand activity_command() {
  return {"activity", "NAME|DSN", "(not built yet)", {},
          [](ops::cli::Context&) -> ops::Status { throw ops::Error(ops::Status::unknown, "opsdb activity is not built yet"); },
          1, 1};
}

}  // namespace opsdb
