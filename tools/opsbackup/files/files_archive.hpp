#pragma once
// Directory trees into a pax archive, as they are on disk: modes, owners (ids
// and names), mtimes, symlinks as symlinks (never followed), hard links stored
// once, extended attributes and POSIX ACLs. Trouble with single files (gone
// before they could be read, unreadable, changed while read) is a warning and
// the archive stays valid; trouble with the archive itself throws.

#include <ops/tar.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace opsbackup {

// One --source: the tree at `root`, stored under `prefix` (its own name).
struct FilesSource {
  std::filesystem::path root;  // walked; a symlink given as a source is resolved first
  std::string prefix;          // "uploads" for /var/www/uploads
  std::filesystem::path given; // absolute, as given (for the manifest)
};

struct FilesArchiveOptions {
  std::vector<std::string> excludes;  // fnmatch globs
  bool one_file_system = false;
};

struct FilesArchiveResult {
  std::uint64_t entries = 0;  // headers written (files, directories, links …)
  std::vector<std::string> warnings;
};

FilesArchiveResult archive_trees(const std::vector<FilesSource>& sources, const FilesArchiveOptions& options,
                                 ops::TarWriter& out);

// Whether an entry is excluded: a glob matches its archive name
// ("uploads/cache/x.tmp"), its path inside the source ("cache/x.tmp") or its
// own name ("x.tmp").
bool is_excluded(const std::vector<std::string>& globs, const std::string& name, const std::string& inside,
                 const std::string& base);

}  // namespace opsbackup
