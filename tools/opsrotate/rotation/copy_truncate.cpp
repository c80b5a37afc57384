// copy and copytruncate: ops::copy_keeping_holes (holes stay holes), and
// for copytruncate, collapse-range rounds then either the partial block kept
// or a final copy-and-truncate step. copy_truncate.hpp says what is promised.
#include "opsrotate/rotation/copy_truncate.hpp"
#include "opsrotate/rotation/kept_tail.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_acl.hpp>
#include <ops/fs_copy.hpp>

#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <linux/falloc.h>
#include <string>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace opsrotate {

namespace {

namespace fs = std::filesystem;

// Enough collapse rounds for a log written faster than we can fdatasync;
// each round is one fdatasync plus one collapse.
constexpr int kMaxCollapseRounds = 8;

std::string q(const fs::path& p) { return p.string(); }

// The log, opened without following a symlink, checked to be a regular file.
ops::Fd open_log(const fs::path& log, int flags, struct stat& st) {
  int fd;
  do {
    fd = ::open(log.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ELOOP) ops::fail(q(log) + " is a symbolic link; refusing to copy it");
    ops::fail_errno("cannot open " + q(log), errno);
  }
  ops::Fd owned(fd);
  if (::fstat(fd, &st) != 0) ops::fail_errno("cannot stat " + q(log), errno);
  if (!S_ISREG(st.st_mode)) ops::fail(q(log) + " is not a regular file; refusing to copy it");
  return owned;
}

// The copy: created O_EXCL (an existing file, or a symlink, is refused), with
// the mode asked for whatever the umask, owned like the log when we are root.
// Removed again by the destructor unless keep() was called, so a failure
// before the log was changed leaves nothing behind.
class Dest {
 public:
  Dest(fs::path path, mode_t mode, int log_fd, const fs::path& log, const struct stat& log_st)
      : path_(std::move(path)) {
    int fd;
    do {
      fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) ops::fail_errno("cannot create " + q(path_), errno);
    fd_.reset(fd);
    // chown before chmod: a chown clears set-id bits the mode may ask for.
    const char* failed = nullptr;
    if (::geteuid() == 0 && ::fchown(fd, log_st.st_uid, log_st.st_gid) != 0) failed = "cannot set the owner of";
    else if (::fchmod(fd, mode & 07777) != 0) failed = "cannot set the mode of";
    if (failed) {
      int err = errno;
      ::unlink(path_.c_str());  // no destructor for a constructor that throws
      ops::fail_errno(failed + (" " + q(path_)), err);
    }
    // The log's ACL too, as logrotate gives it: who may read the log may read its copy.
    try {
      ops::copy_access_acl(log_fd, q(log), fd, q(path_));
    } catch (...) {
      ::unlink(path_.c_str());
      throw;
    }
  }
  ~Dest() {
    if (!kept_) {
      fd_.reset();
      ::unlink(path_.c_str());
    }
  }
  Dest(const Dest&) = delete;
  Dest& operator=(const Dest&) = delete;

  int fd() const { return fd_.get(); }
  const fs::path& path() const { return path_; }
  // From here on dest holds data that may be nowhere else.
  void keep() { kept_ = true; }

  // What is in dest so far survives a crash: the data, and its name.
  void make_durable() {
    if (::fdatasync(fd_.get()) != 0) fail_here("cannot fsync");
    if (!dir_synced_) {
      ops::fsync_parent_dir(path_);
      dir_synced_ = true;
    }
  }
  void finish() {
    if (::fsync(fd_.get()) != 0) fail_here("cannot fsync");
    if (!dir_synced_) ops::fsync_parent_dir(path_);
    fd_.close();
  }
  void cut(std::uint64_t size) {
    if (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) fail_here("cannot truncate");
  }

  [[noreturn]] void fail_here(const std::string& what) {
    int err = errno;
    ops::fail_errno(what + " " + q(path_), err);
  }

 private:
  fs::path path_;
  ops::Fd fd_;
  bool kept_ = false;
  bool dir_synced_ = false;
};

// Copies log[from, end of file) to the end of dest and returns the offset it
// reached: the log's size at the moment the copy saw the end. Holes stay
// holes (a sparse log stays sparse); ops::copy_keeping_holes copies in the
// kernel where it can.
class Copier {
 public:
  Copier(int in, const fs::path& log, Dest& dest) : in_(in), log_(log), dest_(dest) {}

  std::uint64_t to_eof(std::uint64_t from) {
    return ops::copy_keeping_holes(in_, from, dest_.fd(), q(log_), q(dest_.path()));
  }

 private:
  int in_;
  const fs::path& log_;
  Dest& dest_;
};

std::uint64_t size_of(int fd, const fs::path& log) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) ops::fail_errno("cannot stat " + q(log), errno);
  return static_cast<std::uint64_t>(st.st_size);
}

std::uint64_t block_size(int fd) {
  struct statfs sfs {};
  if (::fstatfs(fd, &sfs) != 0 || sfs.f_bsize <= 0) return 4096;
  return static_cast<std::uint64_t>(sfs.f_bsize);
}

// The log being emptied, and what is already in dest. Invariant: dest holds
// the `removed` bytes already cut from the log's front, then the log's first
// `copied` bytes.
class Truncation {
 public:
  Truncation(int fd, const fs::path& log, Dest& dest, Copier& copier)
      : fd_(fd), log_(log), dest_(dest), copier_(copier), block_(block_size(fd)) {}

  std::uint64_t removed() const { return removed_; }
  std::uint64_t copied() const { return copied_; }
  // What the last collapse left at the log's front, already copied: less than a
  // block, or one block when the copy ended on a block boundary (collapse never empties a file).
  std::uint64_t tail() const { return tail_; }
  bool collapsed() const { return collapsed_; }
  void no_collapse() { can_collapse_ = false; }

  // Copies the log's new bytes; returns how many there were.
  std::uint64_t copy_more() {
    std::uint64_t before = copied_;
    copied_ = copier_.to_eof(copied_);
    return copied_ - before;
  }

  // Cuts the copied whole blocks out of the log's front, after making their
  // copy durable (nothing leaves the log before that; the wait costs no data,
  // the program keeps appending). False when there is nothing to cut or the
  // filesystem cannot (then it is not tried again).
  bool collapse() {
    if (!can_collapse_) return false;
    std::uint64_t size = size_of(fd_, log_);
    if (size < copied_) ops::fail(q(log_) + " shrank while it was being copied: is another program truncating it?");
    // ext4 and xfs refuse a range that reaches the end of the file, so at
    // least one byte stays; the range must be whole blocks.
    std::uint64_t cut = size == 0 ? 0 : std::min(copied_, size - 1) / block_ * block_;
    if (cut == 0) return false;
    dest_.make_durable();
    if (::fallocate(fd_, FALLOC_FL_COLLAPSE_RANGE, 0, static_cast<off_t>(cut)) != 0) {
      int err = errno;
      // tmpfs, btrfs, nfs…: no collapse (or not at this alignment, as on ext4
      // with bigalloc): the other way, then.
      if (err == EOPNOTSUPP || err == ENOSYS || err == EINVAL) {
        can_collapse_ = false;
        return false;
      }
      fail_changed("cannot cut the copied part out of " + q(log_), err);
    }
    dest_.keep();  // dest now holds data that is nowhere else
    collapsed_ = true;
    removed_ += cut;
    copied_ -= cut;
    tail_ = copied_;
    return true;
  }

  void truncate() {
    if (::ftruncate(fd_, 0) != 0) fail_changed("cannot truncate " + q(log_), errno);
    dest_.keep();
    forget_kept_tail(fd_);  // an earlier rotation's tail went out with the rest
  }

  [[noreturn]] void fail_changed(const std::string& what, int err) {
    if (collapsed_) ops::fail_errno(what + " (what was cut from it is in " + q(dest_.path()) + ")", err);
    ops::fail_errno(what, err);
  }

 private:
  int fd_;
  const fs::path& log_;
  Dest& dest_;
  Copier& copier_;
  std::uint64_t block_;
  std::uint64_t removed_ = 0;
  std::uint64_t copied_ = 0;
  std::uint64_t tail_ = 0;
  bool collapsed_ = false;
  bool can_collapse_ = true;
};

}  // namespace

CopyResult copy_log(const fs::path& log, const fs::path& dest, mode_t mode) {
  struct stat st {};
  ops::Fd in = open_log(log, O_RDONLY, st);
  Dest out(dest, mode, in.get(), log, st);
  Copier copier(in.get(), log, out);
  CopyResult result;
  result.bytes = copier.to_eof(0);
  out.finish();
  out.keep();
  return result;
}

CopyResult copy_truncate_log(const fs::path& log, const fs::path& dest, mode_t mode,
                             const CopyTruncateOptions& options) {
  struct stat st {};
  ops::Fd in = open_log(log, O_RDWR, st);
  Dest out(dest, mode, in.get(), log, st);
  Copier copier(in.get(), log, out);
  Truncation t(in.get(), log, out, copier);
  if (!options.allow_collapse) t.no_collapse();

  CopyResult result;
  // Leaves the unaligned tail in the log: dest keeps only what was cut out.
  // What the program appended after the last collapse is new, not kept.
  auto keep_tail = [&] {
    out.cut(t.removed());
    result.bytes = t.removed();
    result.kept = t.tail();
    result.collapsed = true;
    out.finish();
    out.keep();
    record_kept_tail(in.get(), t.tail());
    return result;
  };
  // Collapse rounds while what is left to copy keeps shrinking (a writer as
  // fast as we are makes every round as long as the last).
  auto collapse_rounds = [&] {
    std::uint64_t previous = std::numeric_limits<std::uint64_t>::max();
    for (int round = 0; round < kMaxCollapseRounds && t.collapse(); ++round) {
      t.copy_more();
      std::uint64_t left = t.copied();  // the unaligned tail and what was appended meanwhile
      if (left >= previous) break;
      previous = left;
    }
  };

  t.copy_more();  // the bulk
  collapse_rounds();
  // Nothing collapsed: the filesystem cannot, or the log held at most one
  // block (a quiet log, whose lines must not stay out of every rotation).
  if (options.tail == TailPolicy::keep && t.collapsed()) return keep_tail();

  // The final step: copy what is left and truncate at once. Bytes appended
  // between the copy seeing the end of the file and ftruncate holding the
  // inode lock are lost: microseconds, unless we are descheduled or a busy
  // writer keeps the lock meanwhile; then milliseconds' worth of writes
  // (measure with tests/tools/seqwriter.cpp).
  // Everything copied so far is made durable first (the log is still whole,
  // so that wait costs no data); dest is not fsynced again between the last
  // copy and the truncate, since every write during an fsync (milliseconds)
  // would be lost, but right after it, for the few bytes copied last.
  out.make_durable();
  t.copy_more();
  t.truncate();
  result.bytes = t.removed() + t.copied();
  result.collapsed = t.collapsed();
  out.finish();
  return result;
}

}  // namespace opsrotate
