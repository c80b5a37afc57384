#pragma once
// Files and directories the safe way: every fd has an owner, files that matter
// are published atomically and durably, locks are advisory flocks.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <fcntl.h>
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
// Reads a whole regular file (ops::open_regular: a FIFO is refused, exit 3).
std::string read_file(const std::filesystem::path& path);

// The read loops, written once. Each retries on EINTR and throws ops::Error
// (critical) "cannot read WHAT: …" on any other error.
// read(2) retried on EINTR, failing as read(2) does (-1, errno): for a caller
// whose error is its own (a usage error naming a config file).
ssize_t read_retrying(int fd, void* buf, std::size_t size) noexcept;
// The size of the open file (fstat); failing (critical) "cannot stat WHAT: …".
off_t file_size(int fd, const std::string& what);
// One read(2): the number of bytes read, 0 at the end of the file.
std::size_t read_some(int fd, void* buf, std::size_t size, const std::string& what);
// read(2) until `size` bytes or the end of the file: the number read.
std::size_t read_full(int fd, void* buf, std::size_t size, const std::string& what);
// pread(2) from `offset` until `size` bytes or the end of the file: the number read.
std::size_t pread_full(int fd, void* buf, std::size_t size, off_t offset, const std::string& what);
// Reads fd from where it is to its end, handing each chunk to `chunk` (which
// may throw to stop); returns the number of bytes read.
std::uint64_t read_chunks(int fd, const std::string& what, const std::function<void(std::string_view)>& chunk,
                          std::size_t buffer_size = 64 * 1024);
// Reads fd from where it is to its end, or until it has `limit` bytes.
std::string read_all(int fd, const std::string& what, std::size_t limit = std::string::npos);

// fsync the directory that holds path, so a rename inside it is durable.
void fsync_parent_dir(const std::filesystem::path& path);

class TempFile;  // ops/dir.hpp

// A file published atomically: data goes to a temporary file in the same
// directory (ops::TempFile, so clear_leftovers knows its name); commit()
// fsyncs it, renames it to the destination and fsyncs the directory. If
// commit() is never reached the destructor removes the temporary, so a crash
// or an exception leaves the old file or the new one, never half.
class AtomicFile {
 public:
  // replace: commit() replaces an existing destination (a state file, a
  // metric), or (no) refuses it, also where the filesystem has no
  // RENAME_NOREPLACE (a backup is never written over another).
  enum class Replace { yes, no };
  explicit AtomicFile(std::filesystem::path destination, mode_t mode = 0644, Replace replace = Replace::yes);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(std::string_view data);
  int fd() const noexcept;
  const std::filesystem::path& temp_path() const noexcept { return temp_; }
  // With Replace::no, an existing destination throws ops::Error (critical)
  // "cannot write X: it exists", and the temporary is removed.
  void commit();

 private:
  std::filesystem::path destination_;
  std::filesystem::path temp_;
  std::unique_ptr<TempFile> file_;
  Replace replace_;
};

// Replaces path's content atomically (AtomicFile in one call).
void write_file_atomic(const std::filesystem::path& path, std::string_view data, mode_t mode = 0644);

// An exclusive flock held for the object's lifetime. try_acquire returns an
// unheld lock (operator bool false) when another process holds it. The file
// stays when the lock goes, except through remove_if_created; so that removal
// is safe, a lock is held only once the path still names the file locked (a
// process that opened the file just before it was removed opens it anew).
class FileLock {
 public:
  static FileLock acquire(const std::filesystem::path& path);      // waits
  static FileLock try_acquire(const std::filesystem::path& path);  // does not wait
  explicit operator bool() const noexcept { return static_cast<bool>(fd_); }
  const std::filesystem::path& path() const noexcept { return path_; }
  // Whether this lock's open made the file (it did not exist before).
  bool created() const noexcept { return created_; }
  // For a run refused after it took the lock: a refused run leaves no lock
  // file it made. Removes the file if this held lock created it, then
  // releases the lock. A file another process made is never removed.
  void remove_if_created() noexcept;

 private:
  FileLock(std::filesystem::path path, Fd fd, bool created)
      : path_(std::move(path)), fd_(std::move(fd)), created_(created) {}
  std::filesystem::path path_;
  Fd fd_;
  bool created_ = false;
};

// A sequential, symlink-safe directory walk using openat/fstatat relative to
// each directory's fd. Symlinks are reported, never followed. The visitor
// returns false to skip descending into a directory. Errors on a subtree
// (unreadable directory) go to on_error and the walk continues.
// dir_fd and name let the visitor open the entry relative to the directory
// the walk holds (open_at_nofollow(e.dir_fd, e.name, …)) rather than by its
// path, which a directory swapped for a symlink meanwhile could redirect.
struct WalkEntry {
  const std::filesystem::path& path;  // root-relative path joined to the root
  const struct stat& st;
  int depth;  // root = 0
  int dir_fd = AT_FDCWD;     // the directory holding the entry (the root: AT_FDCWD)
  const char* name = nullptr;  // its name in dir_fd (the root: its path as given)
};
struct WalkOptions {
  bool one_file_system = false;
};
void walk_tree(const std::filesystem::path& root, const WalkOptions& options,
               const std::function<bool(const WalkEntry&)>& visit,
               const std::function<void(const std::filesystem::path&, int err)>& on_error);

}  // namespace ops
