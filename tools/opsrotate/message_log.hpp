#pragma once
// -l FILE (logrotate's -l): what opsrotate prints, also appended to a file.
// logrotate opens it, reports a directory or a missing directory, and rotates
// anyway (exit 0), and blocks for ever on a FIFO. opsrotate refuses such a
// FILE (exit 3) before any log is rotated or the state file is touched, and
// never waits on the open.

#include <filesystem>
#include <string>
#include <string_view>

namespace opsrotate {

// Usage error (exit 3) naming `where` ("--log", "ops.conf:3 (log)") unless
// path is an existing regular file we may write, or a new name in an existing
// directory we may write. Creates nothing: a run refused later leaves no
// empty FILE behind.
void check_message_log(const std::filesystem::path& path, const std::string& where);

// Appends text to path, creating it 0640; opened with O_NONBLOCK and refused
// unless it is a regular file (it may have changed since the check).
void append_message_log(const std::filesystem::path& path, std::string_view text);

}  // namespace opsrotate
