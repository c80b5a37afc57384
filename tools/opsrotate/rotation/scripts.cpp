#include "opsrotate/rotation/scripts.hpp"

#include <ops/error.hpp>
#include <ops/process.hpp>

#include <fmt/format.h>
#include <unistd.h>

namespace opsrotate {

void run_script(const LogConfig& config, const std::string& what, const std::string& script, const std::string& arg) {
  ops::ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script, "logrotate_script", arg};
  spec.stdout_to = STDERR_FILENO;
  spec.echo_stderr = true;
  // A script that restarts a daemon must not be killed with us.
  spec.die_with_parent = false;
  ops::Process child = ops::Process::spawn(spec);
  ops::ExitStatus status = child.wait();
  if (status.success()) return;
  std::string why = child.failure_line();
  ops::fail(fmt::format("{} script ({}:{}) for {} {}{}", what, config.file, config.line, arg, status.describe(),
                        why.empty() ? "" : ": " + why));
}

}  // namespace opsrotate
