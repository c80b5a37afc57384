// opsarchive run: placeholder until the [archive.NAME] jobs land (this session).
#include "commands.hpp"

#include <ops/error.hpp>

namespace opsarchive {

ops::cli::Subcommand run_command() {
  return {"run", "", "every [archive.NAME] of ops.conf", {},
          [](ops::cli::Context&) -> ops::Status { throw ops::Error(ops::Status::unknown, "not yet implemented"); }, 0,
          0};
}

}  // namespace opsarchive
