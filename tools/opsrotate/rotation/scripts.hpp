#pragma once
// firstaction/prerotate/postrotate/lastaction/preremove scripts, run as
// logrotate runs them: `/bin/sh -c SCRIPT logrotate_script ARG [ROTATED]`, so
// $1 is the log (or, for shared scripts, the block's patterns) and a
// non-shared postrotate's $2 the log's new rotated name. Their stdout is ours
// as in logrotate (stdout_fd: stderr where our stdout is a TSV or JSON
// document), their stderr ours; a failure is an ops::Error (critical),
// "error running non-shared postrotate script for LOG (FILE:LINE): exited
// with status 1: LAST LINE".

#include "opsrotate/config/log_config.hpp"

#include <string>
#include <unistd.h>

namespace opsrotate {

struct ScriptCall {
  std::string what;     // names the script in messages: "postrotate"
  std::string arg;      // $1
  std::string rotated;  // $2 when not empty: a non-shared postrotate's rotated log
  int stdout_fd = STDOUT_FILENO;
};

void run_script(const LogConfig& config, const std::string& script, const ScriptCall& call);

}  // namespace opsrotate
