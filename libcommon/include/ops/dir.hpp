#pragma once
// Working inside a directory without ever leaving it. A directory is opened
// once; every later step (open, stat, create, rename, unlink, fsync) is
// relative to its fd, and directories below it are opened one name at a time
// with O_NOFOLLOW, so a directory swapped for a symlink between a look and an
// action cannot lead us elsewhere. Files are written under a temporary name
// next to their final one and published without ever replacing an existing
// file, also where the filesystem has no RENAME_NOREPLACE (NFS, many FUSE
// filesystems, old kernels). What a killed run left is found and cleared by
// one call, and the temporary-name pattern is known here only (AtomicFile in
// fs.hpp uses it too).

#include <ops/fs.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace ops {

// An open directory and the path it is shown as in messages.
class Dir {
 public:
  Dir() = default;
  // DIR itself, as given (a symlink named here is followed, as with
  // `find DIR/`); throws ops::Error (critical) naming it.
  static Dir open(const std::filesystem::path& path);
  // The directory that holds path ("." for a bare name).
  static Dir open_parent(const std::filesystem::path& path);
  // The directory `relative` (may be empty) below this one, never through a
  // symlink; ".." is refused.
  Dir below(const std::filesystem::path& relative) const;
  // A second owner of the same directory (for objects that outlive the caller's).
  Dir dup() const;

  int fd() const noexcept { return fd_.get(); }
  explicit operator bool() const noexcept { return static_cast<bool>(fd_); }
  const std::filesystem::path& path() const noexcept { return path_; }
  // The path of `name` in this directory, for messages.
  std::filesystem::path path(std::string_view name) const { return path_ / name; }

  // Opens `name` without following a symlink (O_NOFOLLOW, O_NOCTTY and
  // O_CLOEXEC always added); errors name the file.
  Fd open(const std::string& name, int flags, mode_t mode = 0644) const;
  // Read-only, O_NONBLOCK as well: a fifo put there meanwhile does not hang us.
  Fd open_read(const std::string& name) const;
  // lstat of `name`; nullopt when it does not exist.
  std::optional<struct stat> stat(const std::string& name) const;
  // Removes `name`; false when it was gone already.
  bool remove(const std::string& name) const;
  // fsync of the directory, so a rename or unlink in it is durable.
  void sync() const;

 private:
  Dir(Fd fd, std::filesystem::path path) : fd_(std::move(fd)), path_(std::move(path)) {}
  Fd fd_;
  std::filesystem::path path_;
};

// Still the file that was seen: same inode, size and mtime.
bool unchanged(const struct stat& seen, const struct stat& now) noexcept;

enum class Moved {
  yes,
  target_exists,    // nothing changed
  other_filesystem  // EXDEV: nothing changed; the caller knows what to advise
};
// Renames without ever replacing: RENAME_NOREPLACE, or link + unlink where the
// filesystem does not support it (EINVAL, ENOSYS, EOPNOTSUPP); both refuse an
// existing target. A directory, which cannot be linked, is moved there by
// claiming the name with mkdir first and renaming over that empty directory.
// Other failures throw ops::Error naming both files.
// Calls the glibc renameat2 wrapper (an LD_PRELOAD shim can stand in for a
// filesystem without RENAME_NOREPLACE: tests/integration/shims/noreplace_einval.c).
Moved rename_noreplace(const Dir& from_dir, const std::string& from, const Dir& to_dir, const std::string& to);

// Removes `name` in dir and, when it is a directory, everything below it,
// never following a symlink (a symlink is removed, never what it points to).
// A directory of ours without write or search permission is opened up first.
// False when it was gone already. For a tree we built ourselves and give up
// (a restore that failed half way).
bool remove_tree(const Dir& dir, const std::string& name);

// --- temporary names ---------------------------------------------------------
// ".FINAL.tmp.XXXXXX", or ".FINAL.TAG-tmp.XXXXXX" for a tool that keeps its
// temporaries apart from everyone's (opsarchive walks directories it does not
// own). Hidden from `ls` and from globs like *.gz; XXXXXX is 6 letters or digits.
std::string temp_name_prefix(std::string_view final_name, std::string_view tag = {});
// FINAL when `name` is a temporary name of `tag`; nullopt otherwise.
std::optional<std::string> temp_name_target(std::string_view name, std::string_view tag = {});

// A new directory named as a temporary of final_name (see temp_name_prefix),
// created O_EXCL-like by mkdir and given `mode` whatever the umask; returns
// its name. For a tree built whole beside its final place and moved there
// when complete (rename_noreplace); nothing removes it by itself (remove_tree).
std::string create_temp_dir(const Dir& dir, std::string_view final_name, mode_t mode = 0700,
                            std::string_view tag = {});

struct TempOptions {
  mode_t mode = 0600;    // set with fchmod, whatever the umask
  std::string tag;       // see temp_name_prefix
  // false: publishing fsyncs neither the file nor the directory; the caller
  // fsyncs the directory once after publishing many files there (two fsyncs
  // per file made rotating thousands of logs slow).
  bool durable = true;
};

// A temporary file in a directory, created O_EXCL and holding an flock for
// its lifetime, so that clear_leftovers never takes it for a killed run's.
// Removed unless published.
class TempFile {
 public:
  TempFile(const Dir& dir, std::string final_name, const TempOptions& options = {});
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const noexcept { return fd_.get(); }
  const std::string& name() const noexcept { return name_; }
  const std::string& final_name() const noexcept { return final_; }
  std::filesystem::path path() const { return dir_.path(name_); }
  std::filesystem::path final_path() const { return dir_.path(final_); }
  void write(std::string_view data);
  // fsync, rename to the final name unless that exists (then false, and the
  // temporary is removed), fsync the directory (the fsyncs unless !durable).
  bool publish();
  // fsync, rename over the final name (replacing it), fsync the directory.
  void publish_replacing();
  // Removes the temporary now (the destructor would).
  void discard() noexcept;

 private:
  void sync();
  void finish();
  Dir dir_;
  std::string final_;
  std::string name_;
  Fd fd_;
  bool durable_ = true;
  bool done_ = false;
};

// What an interrupted write left: a temporary of `tag` whose final name
// `wanted` accepts (all when empty), that no live writer holds (its flock),
// removed unless dry_run. A regular file only.
struct Leftover {
  std::string name;
  std::string final_name;
  std::uint64_t size = 0;
};
struct LeftoverQuery {
  std::string tag;
  std::function<bool(const std::string& final_name)> wanted;
  // Left alone when this says so (one the caller has dealt with already).
  std::function<bool(const struct stat&)> skip;
  bool dry_run = false;
};
// Finds and clears (unless dry_run) the leftovers in dir; returns them.
std::vector<Leftover> clear_leftovers(const Dir& dir, const LeftoverQuery& query);
// The same for one temporary the caller found itself: its size when it was
// (or would be) removed; nullopt when gone, not a regular file or held by a
// live writer.
std::optional<std::uint64_t> clear_leftover(const Dir& dir, const std::string& name, bool dry_run);
// The names in dir (not "." and ".."), unsorted.
std::vector<std::string> list_names(const Dir& dir);

// --- the permission rule ----------------------------------------------------
// Who besides the owner may change what is at `st` (or, for a secret, read
// it): whoever can do that can swap the files we are about to act on.
// Write access by others always counts; write access by the group unless the
// group is root (gid 0) and root_group_trusted (logrotate's rule for a log's
// directory; a logrotate config file must not be group-writable at all).
// With secret, any access counts (read, write, search: a password file).
struct PermissionRule {
  bool root_group_trusted = true;
  bool secret = false;
};
enum class Exposure { none, others, group };
Exposure exposure(const struct stat& st, const PermissionRule& rule = {}) noexcept;
// "writable by others (mode 1777)", "writable by group 1000 (mode 0775)"
// ("accessible by …" for a secret); empty when exposure() is none.
std::string exposure_text(const struct stat& st, const PermissionRule& rule = {});

}  // namespace ops
