#pragma once
// Files and directories the safe way: every fd has an owner, files that matter
// are published atomically and durably, locks are advisory flocks.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <sys/types.h>

namespace ops {

// An owned file descriptor. Movable, not copyable; closes on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept { int fd = fd_; fd_ = -1; return fd; }
  void reset(int fd = -1) noexcept;
  // close() reporting its error: a failed close can mean lost data (NFS).
  void close();

 private:
  int fd_ = -1;
};

// Opens path (O_CLOEXEC always added); throws ops::Error critical naming the path.
Fd open_file(const std::filesystem::path& path, int flags, mode_t mode = 0644);
// Opens relative to a directory fd without following a symlink in the last part.
Fd open_at_nofollow(int dirfd, const char* name, int flags, mode_t mode = 0644);

// Writes all of data (retrying on EINTR and short writes); throws naming `what`.
void write_all(int fd, std::string_view data, const std::string& what);
// Reads a whole file; throws ops::Error (critical) naming the path.
std::string read_file(const std::filesystem::path& path);

// fsync the directory that holds path, so a rename inside it is durable.
void fsync_parent_dir(const std::filesystem::path& path);

// A file published atomically: data goes to a temporary file in the same
// directory; commit() fsyncs it, renames it over the destination and fsyncs the
// directory. If commit() is never reached the destructor removes the temporary,
// so a crash or an exception leaves the old file or the new one, never half.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path destination, mode_t mode = 0644);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(std::string_view data);
  int fd() const noexcept { return fd_.get(); }
  const std::filesystem::path& temp_path() const noexcept { return temp_; }
  void commit();

 private:
  std::filesystem::path destination_;
  std::filesystem::path temp_;
  Fd fd_;
  bool committed_ = false;
};

// Replaces path's content atomically (AtomicFile in one call).
void write_file_atomic(const std::filesystem::path& path, std::string_view data, mode_t mode = 0644);

// An exclusive flock held for the object's lifetime. try_acquire returns an
// unheld lock (operator bool false) when another process holds it.
class FileLock {
 public:
  static FileLock acquire(const std::filesystem::path& path);      // waits
  static FileLock try_acquire(const std::filesystem::path& path);  // does not wait
  explicit operator bool() const noexcept { return static_cast<bool>(fd_); }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  FileLock(std::filesystem::path path, Fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::filesystem::path path_;
  Fd fd_;
};

// A sequential, symlink-safe directory walk using openat/fstatat relative to
// each directory's fd. Symlinks are reported, never followed. The visitor
// returns false to skip descending into a directory. Errors on a subtree
// (unreadable directory) go to on_error and the walk continues.
struct WalkEntry {
  const std::filesystem::path& path;  // root-relative path joined to the root
  const struct stat& st;
  int depth;  // root = 0
};
struct WalkOptions {
  bool one_file_system = false;
};
void walk_tree(const std::filesystem::path& root, const WalkOptions& options,
               const std::function<bool(const WalkEntry&)>& visit,
               const std::function<void(const std::filesystem::path&, int err)>& on_error);

}  // namespace ops
