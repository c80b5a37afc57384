#pragma once
// Carrying out one planned operation (plan.hpp). Every step is one that a
// crash can interrupt without losing a byte: renames never replace an
// existing file (ops::rename_noreplace), compressed files are written to a
// temporary name, fsynced and renamed before the plain file is removed, and a
// new log is created under a temporary name and moved into place.

#include "opsrotate/config/log_config.hpp"
#include "opsrotate/rotation/plan.hpp"

#include <cstdint>
#include <string>
#include <unistd.h>

namespace opsrotate {

struct ExecOptions {
  std::string mail_command = "/usr/bin/mail";
  // Where scripts write their stdout: ours, as in logrotate, or stderr where
  // our stdout is a TSV or JSON document.
  int script_stdout = STDOUT_FILENO;
};

struct OpResult {
  std::uint64_t bytes_in = 0;   // compress: plain bytes
  std::uint64_t bytes_out = 0;  // compress: compressed bytes
  std::uint64_t tail_kept = 0;  // copytruncate: the partial block left in the log for the next rotation
  // preremove with a place to keep the file (Op::to): the script refused, the
  // file was moved there and is not to be removed; `refusal` says why.
  bool kept = false;
  std::string refusal;
};

// Throws ops::Error (critical) naming the file and the reason.
OpResult execute(const Op& op, const LogConfig& config, const ExecOptions& options);

}  // namespace opsrotate
