#include "opsrotate/rotation/operations.hpp"
#include "opsrotate/rotation/rotated_names.hpp"

#include "opsrotate/rotation/compress_log.hpp"
#include "opsrotate/rotation/copy_truncate.hpp"
#include "opsrotate/rotation/scripts.hpp"

#include <ops/compress.hpp>
#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_acl.hpp>
#include <ops/fs_regular.hpp>
#include <ops/process.hpp>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <fmt/format.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

// A rotation never replaces a file: the library's rename without replacing
// (with its fallback where the filesystem has no RENAME_NOREPLACE).
void move(const fs::path& from, const fs::path& to) {
  ops::Dir from_dir = ops::Dir::open_parent(from);
  ops::Dir to_dir = ops::Dir::open_parent(to);
  switch (ops::rename_noreplace(from_dir, from.filename().string(), to_dir, to.filename().string())) {
    case ops::Moved::yes: return;
    case ops::Moved::target_exists:
      ops::fail(fmt::format("cannot move {} to {}: the target exists", from.string(), to.string()));
    case ops::Moved::other_filesystem:
      ops::fail(fmt::format("cannot move {} to {}: another filesystem (use copy, copytruncate or renamecopy with an "
                            "olddir on another device)",
                            from.string(), to.string()));
  }
}

void set_owner(int fd, uid_t uid, gid_t gid, const fs::path& path) {
  if (uid == static_cast<uid_t>(-1) && gid == static_cast<gid_t>(-1)) return;
  if (::fchown(fd, uid, gid) != 0) {
    int err = errno;
    // Without root only the owner's own group can be given; keep going as
    // logrotate does not: a created log nobody may write is worse.
    ops::fail_errno(fmt::format("cannot give {} to {}:{}", path.string(), uid, gid), err);
  }
}

// The new, empty log: made under a temporary name with its mode and owner
// (and, when create names no mode, the rotated log's ACL), then moved into
// place, so a writer never sees it with the wrong mode. Not fsynced here: an
// empty file has no data to lose, and the run fsyncs the log's directory once
// for all the logs of a block (before postrotate).
void create_log(const Op& op) {
  ops::TempOptions options;
  options.durable = false;
  ops::TempFile fresh(ops::Dir::open_parent(op.to), op.to.filename().string(), options);
  set_owner(fresh.fd(), op.uid, op.gid, op.to);
  if (::fchmod(fresh.fd(), op.mode) != 0) ops::fail_errno("cannot set the mode of " + op.to.string(), errno);
  if (!op.acl_from.empty()) {
    // Never blocking on a FIFO, never following a symlink put in its place.
    ops::Fd rotated = ops::open_file(op.acl_from, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    ops::copy_access_acl(rotated.get(), op.acl_from.string(), fresh.fd(), op.to.string());
  }
  // false: the application made it first; its file is left alone.
  fresh.publish();
}

void make_olddir(const Op& op) {
  if (::mkdir(op.to.c_str(), op.mode) != 0 && errno != EEXIST)
    ops::fail_errno("cannot create olddir " + op.to.string(), errno);
  if (::chmod(op.to.c_str(), op.mode) != 0) ops::fail_errno("cannot set the mode of " + op.to.string(), errno);
  if ((op.uid != static_cast<uid_t>(-1) || op.gid != static_cast<gid_t>(-1)) &&
      ::chown(op.to.c_str(), op.uid, op.gid) != 0)
    ops::fail_errno("cannot set the owner of " + op.to.string(), errno);
}

// `mail -s SUBJECT ADDRESS` with the log, uncompressed, on its stdin.
void mail_log(const Op& op, const LogConfig& config, const ExecOptions& options) {
  // Never blocking: a FIFO put where a rotated log was is refused, not waited on.
  ops::Fd in = ops::open_file(op.from, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  ops::require_regular(in, op.from);
  ops::ProcessSpec spec;
  spec.argv = split_words(options.mail_command);
  spec.argv.insert(spec.argv.end(), {"-s", (op.to.empty() ? op.from : op.to).string(), config.mail});
  spec.pipe_stdin = true;
  spec.stdout_to = STDERR_FILENO;
  ops::Process child = ops::Process::spawn(spec);
  ops::decompress_fd(in.get(), op.from.string(), [&](std::string_view data) {
    ops::write_all(child.stdin_fd(), data, "the mail command's input");
  });
  child.close_stdin();
  ops::ExitStatus status = child.wait();
  if (!status.success())
    ops::fail(fmt::format("mailing {} to {} failed: {} {}: {}", op.from.string(), config.mail, spec.argv[0],
                          status.describe(), child.failure_line()));
}

void remove_file(const Op& op, const LogConfig& config) {
  if (config.shred) {
    ops::ProcessSpec spec;
    spec.argv = {"shred", "-u", "-n", std::to_string(config.shredcycles), op.from.string()};
    spec.stdout_to = STDERR_FILENO;
    ops::Process child = ops::Process::spawn(spec);
    ops::ExitStatus status = child.wait();
    if (!status.success())
      ops::fail(fmt::format("shred of {} failed: {}: {}", op.from.string(), status.describe(), child.failure_line()));
    return;
  }
  if (::unlink(op.from.c_str()) != 0 && errno != ENOENT) ops::fail_errno("cannot remove " + op.from.string(), errno);
}

// The rotated copy gets the log's mode, as with a rename.
mode_t file_mode(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) ops::fail_errno("cannot stat " + path.string(), errno);
  return st.st_mode & 07777;
}

}  // namespace

OpResult execute(const Op& op, const LogConfig& config, const ExecOptions& options) {
  OpResult result;
  switch (op.kind) {
    case OpKind::mkdir: make_olddir(op); break;
    case OpKind::rename: move(op.from, op.to); break;
    case OpKind::copy: result.bytes_in = copy_log(op.from, op.to, file_mode(op.from)).bytes; break;
    case OpKind::copytruncate: {
      CopyResult copied = copy_truncate_log(op.from, op.to, file_mode(op.from));
      result.bytes_in = copied.bytes;
      result.tail_kept = copied.kept;
      break;
    }
    case OpKind::create: create_log(op); break;
    case OpKind::compress: {
      auto sizes = compress_log(op.from, op.to, config);
      result.bytes_in = sizes.first;
      result.bytes_out = sizes.second;
      break;
    }
    case OpKind::mail: mail_log(op, config, options); break;
    case OpKind::preremove:
      try {
        run_script(config, config.scripts.preremove, {"preremove", op.from.string(), {}, options.script_stdout});
      } catch (const ops::Error& e) {
        if (op.to.empty()) throw;
        move(op.from, op.to);
        result.kept = true;
        result.refusal = e.what();
      }
      break;
    case OpKind::remove: remove_file(op, config); break;
  }
  return result;
}

}  // namespace opsrotate
