#pragma once
// The baseline of `opsaudit changes`: what every file was when it was
// recorded. Text, one entry a line, so it can be read, diffed and (carefully)
// edited by hand:
//
//   opsaudit-baseline 1
//   # comment lines and blank lines are allowed
//   created <TAB> 2026-12-06T11:30:00Z
//   root    <TAB> /etc                 (each PATH the baseline covers)
//   exclude <TAB> *.swp                (each --exclude it was recorded with)
//   TYPE <TAB> MODE <TAB> UID <TAB> GID <TAB> SIZE <TAB> MTIME <TAB> DATA <TAB> PATH
//
// TYPE: f file, d directory, l symlink, p fifo, s socket, c/b device.
// MODE: octal, with setuid/setgid/sticky (4755). SIZE and MTIME
// (seconds.nanoseconds) for files only, else "-". DATA: a file's SHA-256
// (64 lower-case hex digits, or "?" when we could not read it), a symlink's
// target, else "-". PATH, the target, root and exclude are escaped
// (path_text.hpp: \\ \t \n \r \xHH), so every line is one entry however odd
// the name. Entries follow the walk (name order).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace opsaudit::files {

inline constexpr std::string_view baseline_magic = "opsaudit-baseline 1";

struct FileState {
  char type = 'f';
  mode_t mode = 0;  // permission bits with setuid, setgid, sticky
  uid_t uid = 0;
  gid_t gid = 0;
  std::uint64_t size = 0;          // type f
  std::int64_t mtime_sec = 0;      // type f
  long mtime_nsec = 0;
  std::string data;  // f: sha256 hex or "?"; l: target; else empty

  bool same_content(const FileState& o) const { return data == o.data; }
};

struct Baseline {
  std::string created;
  std::vector<std::string> roots;
  std::vector<std::string> excludes;
  std::vector<std::pair<std::string, FileState>> entries;  // in walk order
};

// The text of a baseline.
std::string baseline_text(const Baseline& baseline);

// Parses the text read from `path` (for messages). A line that is not
// understood, an entry given twice or a missing version line is ops::fail
// (critical, exit 2): "PATH:LINE: …", one line. Nothing is guessed: a
// baseline is evidence, and a damaged one is reported, not half used.
Baseline parse_baseline(std::string_view text, const std::string& path);

}  // namespace opsaudit::files
