#pragma once
// The state file in logrotate's own format, so a host switches from logrotate
// to opsrotate (and back) without re-rotating everything:
//
//   logrotate state -- version 2
//   "/var/log/nginx/access.log" 2026-11-24-6:25:1
//
// What logrotate 3.21 writes, and so what we write: the header line, then one
// line per log: the path in double quotes with `"` as \", `\` as \\ and a
// newline as \n (every other byte, tabs and UTF-8 included, as it is), a
// space, and the local time as Y-M-D-H:M:S without padding. The file is
// published atomically (temp, fsync, rename, fsync dir), mode 0640.
//
// What logrotate 3.21 reads, and so what we read: a header of version 2 or
// 1; each line split into words shell-fashion (double or single quotes,
// backslash outside quotes escapes any byte, inside quotes only the quote
// itself), after which \\ and \n in the path become `\` and a newline; a time
// Y-M-D[-H[:M[:S]]], padded or not, year 1970-2100. Unlike logrotate, which
// refuses a file without the header and stops at the first bad line
// (forgetting everything after it), we read a headerless file as entries (the
// oldest format) and skip a bad line with a warning naming file and line, so
// one corrupt line never makes every later log look new.

#include <ops/clock.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace opsrotate {

struct StateFile {
  // Log path -> when it was last rotated (or first seen). A path listed twice:
  // the later line wins.
  std::map<std::string, ops::SysTime> entries;
  // "bad line 7 in state file status: '…': month 13 is out of range": lines
  // that were skipped (the run reports each as an error, and still rotates).
  std::vector<std::string> warnings;
};

// logrotate 3.21 creates its state file 0640 (and warns about a world-readable
// one: anyone who can open it can flock it and stall the next run).
inline constexpr mode_t kStateFileMode = 0640;

// The null device (`-s /dev/null`, as logrotate: keep no state): nothing is
// read from it, nothing written to it, and no PATH.lock is made (nor taken)
// beside it. Every log then looks seen for the first time.
bool is_no_state(const std::filesystem::path& path);

// Refuses, before anything is locked, rotated or written, a state path no
// run could use: empty, an existing file that is not a regular one (a
// directory, a FIFO: it would hang, a device other than the null device), a
// parent directory that is missing or not a directory, or a PATH.lock that
// is not a regular file.
// Usage error (exit 3) naming `where` ("--state", "OPS_ROTATE_STATE" or
// "ops.conf:2 (state)") and the path. The one place that says what -s takes.
void check_state_path(const std::filesystem::path& path, const std::string& where);
// The lock a run holds while it works: PATH.lock, beside the state file.
std::filesystem::path state_lock_path(const std::filesystem::path& path);

// A missing file is an empty state. Unreadable = ops::Error (critical).
StateFile read_state(const std::filesystem::path& path);
// Never throws for bad content: bad lines become warnings.
StateFile parse_state(const std::string& text, const std::string& file_name);

// Times are local (ops/local_time.hpp, so TZ counts); entries sorted by path.
std::string format_state(const StateFile& state);
// Replaces the file atomically; a new file gets `mode`, a replacing one the
// owner (as root), mode (less read access for others) and ACL of the old. A
// lock held on the old file's inode does not carry over to the new one: lock
// a separate file, not the state file itself.
void write_state(const std::filesystem::path& path, const StateFile& state, mode_t mode = kStateFileMode);

// One entry's parts, shared with tests: the quoted path as written, and the
// local time as written ("2026-1-5-3:4:5").
std::string quote_state_path(const std::string& path);
std::string format_state_time(ops::SysTime t);

}  // namespace opsrotate
