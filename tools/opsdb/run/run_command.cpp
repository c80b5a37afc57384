// opsdb run: NOT BUILT YET (the frame's placeholder).
#include "opsdb/commands.hpp"

#include <ops/error.hpp>

namespace opsdb {

void check_dbupkeep_sections(const ops::Config&) {}

ops::cli::Subcommand run_command() {
  return {"run", "", "(not built yet)", {},
          [](ops::cli::Context&) -> ops::Status { throw ops::Error(ops::Status::unknown, "opsdb run is not built yet"); },
          0, 0};
}

}  // namespace opsdb
