#include "opsrotate/rotation/scripts.hpp"

#include <ops/error.hpp>
#include <ops/process.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <unistd.h>

namespace opsrotate {

void run_script(const LogConfig& config, const std::string& script, const ScriptCall& call) {
  const std::string& what = call.what;
  const std::string& arg = call.arg;
  ops::ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script, "logrotate_script", arg};
  if (!call.rotated.empty()) spec.argv.push_back(call.rotated);
  spec.stdout_to = call.stdout_fd;
  spec.echo_stderr = true;
  // A script that restarts a daemon must not be killed with us.
  spec.die_with_parent = false;
  ops::Process child = ops::Process::spawn(spec);
  ops::ExitStatus status = child.wait();
  if (status.success()) return;
  std::string why = child.failure_line();
  // prerotate and postrotate run once per log or, with sharedscripts, once
  // for the block: the message says which, as logrotate's does.
  std::string kind = what;
  if (what == "prerotate" || what == "postrotate") kind = (config.sharedscripts ? "shared " : "non-shared ") + what;
  ops::fail(fmt::format("error running {} script for {} ({}:{}): {}{}", kind, ops::trim(arg, " "), config.file,
                        config.line, status.describe(), why.empty() ? "" : ": " + why));
}

}  // namespace opsrotate
