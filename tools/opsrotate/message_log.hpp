#pragma once
// -l FILE (logrotate's -l): the run's own log. From the moment it is opened,
// every message of the run goes to it as well as to stderr — the verbose ones
// too ("reading config file …"), and the error that refuses a configuration —
// and the report is appended at the end. logrotate opens it, reports a
// directory or a missing directory, and rotates anyway (exit 0), and blocks
// for ever on a FIFO. opsrotate refuses such a FILE (exit 3) before any log is
// rotated or the state file is touched, and never waits on the open.

#include <ops/fs.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace opsrotate {

// Usage error (exit 3) naming `where` ("--log", "ops.conf:3 (log)") unless
// path is an existing regular file we may write, or a new name in an existing
// directory we may write. Creates nothing.
void check_message_log(const std::filesystem::path& path, const std::string& where);

class MessageLog {
 public:
  // Opens path for appending, creating it 0640; opened with O_NONBLOCK and
  // refused unless it is a regular file (it may have changed since the check).
  explicit MessageLog(const std::filesystem::path& path);
  void write(std::string_view text);

 private:
  std::filesystem::path path_;
  ops::Fd fd_;
};

// Opens the log and copies every message of the run to it from now on
// (ops::log::set_copy); the copy keeps the file open until the end.
std::shared_ptr<MessageLog> start_message_log(const std::filesystem::path& path);

}  // namespace opsrotate
