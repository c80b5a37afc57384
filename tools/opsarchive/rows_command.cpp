// opsarchive rows: placeholder until the batch engine lands (this session).
#include "commands.hpp"

#include <ops/error.hpp>

namespace opsarchive {

ops::cli::Subcommand rows_command() {
  return {"rows", "", "move or purge old rows in batches", {},
          [](ops::cli::Context&) -> ops::Status { throw ops::Error(ops::Status::unknown, "not yet implemented"); }, 0,
          0};
}

ops::cli::Subcommand run_command() {
  return {"run", "", "every [archive.NAME] of ops.conf", {},
          [](ops::cli::Context&) -> ops::Status { throw ops::Error(ops::Status::unknown, "not yet implemented"); }, 0,
          0};
}

}  // namespace opsarchive
