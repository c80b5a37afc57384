#pragma once
// Where a files restore is built before anything of it is in DIR: a
// temporary directory (the project's temporary names, mode 0700) beside DIR
// when DIR does not exist yet, moved to DIR by one rename when the tree is
// complete; inside DIR when DIR exists (empty, or with --force not empty),
// so that it is on DIR's filesystem even when DIR is a mount point, its
// entries moved up when complete. A restore that fails (a refused entry, a
// truncated archive, a full disk) removes the whole temporary tree, never
// following a symlink, and leaves DIR as it was.

#include <ops/dir.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace opsbackup {

class Staging {
 public:
  // Creates the temporary directory (and DIR's missing parents, as a restore
  // into a new directory always did; removed again if the restore fails).
  explicit Staging(const std::filesystem::path& to_dir);
  ~Staging();
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;

  // The directory the tree is built in.
  const ops::Dir& dir() const noexcept { return build_; }
  // Moves the complete tree into DIR. Into an existing DIR, every name is
  // checked first: a directory of the backup merges into a directory of DIR
  // (taking the backup's mode, owner and times), a file or symlink replaces
  // a file or symlink; a directory against a file or a symlink (either way)
  // is refused before anything moves. Throws ops::Error (critical).
  void publish();

 private:
  std::filesystem::path to_dir_;
  ops::Dir home_;  // where the temporary directory is: DIR's parent, or DIR
  std::vector<std::filesystem::path> made_parents_;  // DIR's parents made for it, deepest first
  std::string name_;
  ops::Dir build_;
  bool into_existing_ = false;
  bool published_ = false;
};

}  // namespace opsbackup
