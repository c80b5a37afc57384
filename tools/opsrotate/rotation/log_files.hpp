#pragma once
// From the blocks' patterns to the log files they name, before anything is
// rotated: globs expanded (sorted; never picking up already rotated files
// such as app.log.1 or app.log-20261124.gz). A log named again by a later
// block is left to the first when either block says ignoreduplicates
// (logrotate looks at the first one only, and at the later one's globals);
// otherwise it is an error that skips the later block whole, where logrotate
// reports it and rotates the rest of that block.

#include "opsrotate/config/log_config.hpp"

#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace opsrotate {

struct LogSet {
  const LogConfig* config = nullptr;
  std::vector<std::filesystem::path> logs;     // existing or literal names
  std::vector<std::string> missing_patterns;  // globs that matched nothing
};

// The sets of the blocks to rotate, in order; a block with a duplicate is
// left out, its errors (and the line saying it is skipped) added to `errors`.
std::vector<LogSet> expand_logs(const RotateConfig& config, std::vector<ConfigError>& errors);

// What a log path is when it is a FIFO, a device or a socket ("a FIFO", "a
// character device"...), or "" for anything else. Such a file is skipped
// with a warning, never opened (a FIFO would hang the run) nor moved: it is
// not a log but something another program reads or writes through.
// logrotate renames it like a log (and then hangs, or since 3.22 fails, on
// compressing it); this is a deliberate difference (man opsrotate).
std::string special_file_kind(const struct stat& st);

// Why a log is skipped without an error, or "" when it is not: a symlink
// (rotating it would move the link, or through it a file anywhere), or a file
// with other hard links without allowhardlink (the other names would keep
// the old file). As logrotate does: skipped, said with -v, exit status 0.
std::string link_skip_reason(const LogConfig& config, const struct stat& st);

// Why a log must not be rotated (an error), or "" when it may: not a regular
// file, or a parent directory others may write to without su (logrotate's
// rule). Checked after link_skip_reason.
std::string refusal_reason(const LogConfig& config, const std::filesystem::path& log, const struct stat& st);

}  // namespace opsrotate
