#pragma once
// The state file in logrotate's own format, so a host switches from logrotate
// to opsrotate (and back) without re-rotating everything:
//
//   logrotate state -- version 2
//   "/var/log/nginx/access.log" 2026-11-24-6:25:1
//
// Paths are double-quoted with `\` escaping `"` and `\`; times are local
// time, Y-M-D-H:M:S without padding. Reading never wedges later runs: a
// corrupt line is reported (file and line number) and skipped. Writing is
// atomic (temp, fsync, rename, fsync dir).

#include <ops/clock.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace opsrotate {

struct StateFile {
  // Log path -> when it was last rotated (or first seen).
  std::map<std::string, ops::SysTime> entries;
  // "state.status:7: cannot parse '…'": lines that were skipped.
  std::vector<std::string> warnings;
};

// A missing file is an empty state. Unreadable = ops::Error (critical).
StateFile read_state(const std::filesystem::path& path);
StateFile parse_state(const std::string& text, const std::string& file_name);

std::string format_state(const StateFile& state);
void write_state(const std::filesystem::path& path, const StateFile& state);

}  // namespace opsrotate
