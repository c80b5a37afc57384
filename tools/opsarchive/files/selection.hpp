#pragma once
// Which files `opsarchive files` acts on: a find-like walk of each DIR that
// never follows a symlink, picking old regular files for compression or
// expiry, and recognising the temporary files of a crashed run.

#include <ops/clock.hpp>
#include <ops/dir.hpp>
#include <ops/fs.hpp>
#include <ops/status.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace opsarchive {

// One DIR of the command line, open for the whole run.
struct Root {
  std::filesystem::path given;  // as given: records and messages show paths under it
  std::string name;             // its own name, for tar members when there are several DIRs
  ops::Dir dir;  // unset when it could not be opened
};

enum class Pick {
  compress,  // plain, older than --older-than: compress it or collect it into the tar
  remove,    // older than --delete-older-than
  temp,      // a temporary file of ours: removed when no run holds it
};

struct Candidate {
  std::size_t root = 0;
  std::filesystem::path relative;  // below the root: "app/error.log"
  struct stat st {};
  Pick pick = Pick::compress;
};

struct SelectRules {
  std::vector<std::string> match;
  std::optional<ops::SysTime> compress_cutoff;  // files older are compressed (or collected)
  std::optional<ops::SysTime> delete_cutoff;    // files older are removed
  std::string archive_glob;                     // our own archives' names: never collected
  bool allow_shared_dirs = false;               // act in directories others can write to
};

struct Selection {
  std::vector<Candidate> candidates;
  ops::Status status = ops::Status::ok;  // warning when something was skipped with a warning
};

// Walks every root in order. A file reached twice (nested or repeated DIRs)
// is picked once. Skipped with a warning: hard-linked files (compressing one
// name would not free the space, as gzip says), unreadable directories, and
// directories writable by others or by a group other than root, unless
// allow_shared_dirs (as logrotate refuses them without "su": whoever can
// write there can swap the files we are about to compress or delete).
// The walk does not descend below a skipped directory.
Selection select_files(const std::vector<Root>& roots, const SelectRules& rules);

// Whether a file's content is compressed already, whatever its name.
bool content_compressed(const Root& root, const std::filesystem::path& relative);

}  // namespace opsarchive
