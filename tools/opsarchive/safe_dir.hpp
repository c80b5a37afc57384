#pragma once
// Working inside a DIR without ever leaving it: directories below it are
// opened one name at a time with O_NOFOLLOW, and every later step (open,
// rename, unlink) is relative to the directory's fd, so a directory swapped
// for a symlink between the walk and the action cannot lead us elsewhere.
// Temporary files are created next to their final name, locked while in use,
// and published without ever replacing an existing file.

#include <ops/fs.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/stat.h>

namespace opsarchive {

// DIR itself, as given (a symlink named on the command line is followed, as
// with `find DIR/`); throws ops::Error (critical) naming it.
ops::Fd open_dir(const std::filesystem::path& dir);
// The directory `relative` (may be empty) below root, never through a symlink.
ops::Fd open_below(int root, const std::filesystem::path& relative, const std::filesystem::path& shown);
void fsync_dir(int dirfd, const std::filesystem::path& shown);
// Opens `name` in dirfd's directory without following a symlink, read-only
// (O_NONBLOCK: a fifo put there meanwhile does not hang us); errors name `shown`.
ops::Fd open_file_at(int dirfd, const std::string& name, const std::filesystem::path& shown);

// lstat relative to dirfd; nullopt when the name does not exist.
std::optional<struct stat> stat_at(int dirfd, const std::string& name, const std::filesystem::path& shown);
// Still the file the walk saw, with the same size and mtime.
bool unchanged(const struct stat& seen, const struct stat& now);

// A temporary file ".FINAL.opsarchive-tmp.XXXXXX" in dirfd's directory,
// mode 0600, holding an flock for its lifetime so that another run never
// takes it for a crashed run's leftover. Removed unless published.
class TempFile {
 public:
  TempFile(int dirfd, std::string final_name, std::filesystem::path shown_dir);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const noexcept { return fd_.get(); }
  const std::string& name() const noexcept { return name_; }
  std::filesystem::path shown() const { return shown_dir_ / name_; }
  std::filesystem::path shown_final() const { return shown_dir_ / final_; }
  // fsync, rename to the final name unless that exists (then false, and the
  // temporary is removed), fsync the directory.
  bool publish();

 private:
  int dirfd_;
  std::string final_;
  std::filesystem::path shown_dir_;
  std::string name_;
  ops::Fd fd_;
  bool published_ = false;
};

// A crashed run's temporary file: removed (unless dry_run) when no live
// process holds its lock. Returns its size when it was (or would be) removed.
std::optional<std::uint64_t> remove_leftover_temp(int dirfd, const std::string& name,
                                                  const std::filesystem::path& shown, bool dry_run);

}  // namespace opsarchive
