#pragma once
// One syslog file and its rotated predecessors, read in time order, each
// line split and its message parsed; what concerns a login is handed to
// `each`. Reading and parsing run on a thread of their own while the
// caller's thread counts what they found (attempts, the tally): the two
// halves of the work take about as long, and a host has two cores for it as
// grep | awk | sort has for its three processes.

#include "opsaudit/logins/auth_line.hpp"
#include "opsaudit/logins/auth_parse.hpp"

#include <ops/clock.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace opsaudit {

struct FileReading {
  std::vector<std::string> files;  // opened, oldest first
  std::vector<std::string> notes;  // lines not understood (per file), compressed files cut short
  std::optional<ops::SysTime> earliest;  // the time of the first line read
};

// Lines before `from` are not handed over. Cannot open: ops::Error.
FileReading read_auth_file(const std::string& path, ops::SysTime now, ops::SysTime from,
                           const std::function<void(const AuthLine&, const AuthMessage&)>& each);

}  // namespace opsaudit
