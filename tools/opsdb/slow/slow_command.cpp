// opsdb slow: NOT BUILT YET (the frame's placeholder; its helper replaces this file).
#include "opsdb/commands.hpp"

#include <ops/error.hpp>

namespace opsdb {

ops::cli::Subcommand slow_command() {
  return {"slow", "NAME|DSN", "(not built yet)", {},
          [](ops::cli::Context&) -> ops::Status { throw ops::Error(ops::Status::unknown, "opsdb slow is not built yet"); },
          1, 1};
}

}  // namespace opsdb
