// `opsrotate [OPTIONS] CONFIG…` (work in progress: the rotation itself lands next).
#include "commands.hpp"

#include <ops/error.hpp>

namespace opsrotate {

ops::cli::Subcommand rotate_command() {
  return {"rotate", "CONFIG...", "rotate the logs the logrotate configuration files name",
          {}, [](ops::cli::Context&) -> ops::Status { ops::fail("rotation is not built yet"); }, 1, -1};
}

}  // namespace opsrotate
