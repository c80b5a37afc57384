#include "compress_file.hpp"
#include "file_rules.hpp"
#include "safe_dir.hpp"

#include <ops/error.hpp>
#include <ops/hash.hpp>

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace opsarchive {

namespace {

struct Digest {
  std::uint64_t size = 0;
  std::string sha256;
  bool operator==(const Digest&) const = default;
};

// Reads fd from its start; also feeds each chunk to `also`.
Digest digest_fd(int fd, const fs::path& shown, const ops::ByteSink& also = {}) {
  if (::lseek(fd, 0, SEEK_SET) < 0) ops::fail_errno("cannot read " + shown.string(), errno);
  ops::Sha256 hash;
  Digest d;
  std::vector<char> buf(64 * 1024);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ops::fail_errno("cannot read " + shown.string(), errno);
    if (n == 0) break;
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    hash.update(chunk);
    if (also) also(chunk);
    d.size += chunk.size();
  }
  d.sha256 = hash.hex_digest();
  return d;
}

// What a compressed file decompresses to; corrupt or truncated data throws.
Digest digest_decompressed(int fd, const fs::path& shown) {
  if (::lseek(fd, 0, SEEK_SET) < 0) ops::fail_errno("cannot read " + shown.string(), errno);
  ops::Sha256 hash;
  Digest d;
  d.size = ops::decompress_fd(fd, shown.string(), [&](std::string_view chunk) { hash.update(chunk); });
  d.sha256 = hash.hex_digest();
  return d;
}

std::string read_head(int fd) {
  std::string head(8, '\0');
  ssize_t n;
  do n = ::pread(fd, head.data(), head.size(), 0);
  while (n < 0 && errno == EINTR);
  head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return head;
}

// Mode, owner (as far as we may give it) and times of the original.
void copy_metadata(int fd, const struct stat& st, const fs::path& shown) {
  if (::fchown(fd, st.st_uid, st.st_gid) != 0 && ::fchown(fd, static_cast<uid_t>(-1), st.st_gid) != 0) {
    // Not root and not in the file's group: the copy stays ours, like gzip's.
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) ops::fail_errno("cannot set the mode of " + shown.string(), errno);
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::futimens(fd, times) != 0) ops::fail_errno("cannot set the times of " + shown.string(), errno);
}

void remove_original(int dirfd, const std::string& name, const struct stat& seen, const fs::path& shown_dir) {
  auto now = stat_at(dirfd, name, shown_dir / name);
  if (!now || !unchanged(seen, *now)) ops::fail("not removing " + (shown_dir / name).string() + ": it changed");
  if (::unlinkat(dirfd, name.c_str(), 0) != 0) ops::fail_errno("cannot remove " + (shown_dir / name).string(), errno);
  fsync_dir(dirfd, shown_dir);
}

}  // namespace

CompressResult compress_file(int dirfd, const std::string& name, const struct stat& seen, const fs::path& shown_dir,
                             const ops::CompressOptions& options, bool dry_run) {
  const fs::path shown = shown_dir / name;
  CompressResult r;
  r.bytes_before = static_cast<std::uint64_t>(seen.st_size);
  r.target = name + std::string(ops::compression_suffix(options.format));
  ops::Fd in = open_file_at(dirfd, name, shown);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) ops::fail_errno("cannot stat " + shown.string(), errno);
  if (!S_ISREG(st.st_mode) || !unchanged(seen, st)) return {CompressOutcome::changed, r.bytes_before, 0, r.target};
  if (looks_compressed(read_head(in.get()))) return {CompressOutcome::already_compressed, r.bytes_before, 0, r.target};

  // A crashed run may have left NAME and a complete NAME.gz: finish its job.
  std::optional<Digest> plain;
  for (auto format : {ops::Compression::gzip, ops::Compression::zstd, ops::Compression::xz}) {
    const std::string sibling = name + std::string(ops::compression_suffix(format));
    auto sst = stat_at(dirfd, sibling, shown_dir / sibling);
    if (!sst) continue;
    bool same = false;
    if (S_ISREG(sst->st_mode)) {
      try {
        if (!plain) plain = digest_fd(in.get(), shown);
        ops::Fd packed = open_file_at(dirfd, sibling, shown_dir / sibling);
        same = digest_decompressed(packed.get(), shown_dir / sibling) == *plain;
      } catch (const ops::Error&) {
        same = false;  // unreadable or not what its name says: not our copy
      }
    }
    if (same) {
      r.outcome = CompressOutcome::duplicate_removed;
      r.target = sibling;
      r.bytes_after = static_cast<std::uint64_t>(sst->st_size);
      if (!dry_run) {
        fsync_dir(dirfd, shown_dir);  // the copy's rename may not have been made durable
        remove_original(dirfd, name, seen, shown_dir);
      }
      return r;
    }
    if (sibling == r.target) r.outcome = CompressOutcome::target_exists;
  }
  if (dry_run || r.outcome == CompressOutcome::target_exists) return r;

  TempFile out(dirfd, r.target, shown_dir);
  // Threads pay off on big files only; most old logs are small, and starting
  // workers for each would cost more than it gains.
  ops::CompressOptions how = options;
  if (seen.st_size < (8 << 20)) how.threads = 1;
  ops::Compressor compressor(how, [&](std::string_view data) {
    ops::write_all(out.fd(), data, out.shown().string());
    r.bytes_after += data.size();
  });
  const Digest written = digest_fd(in.get(), shown, [&](std::string_view chunk) { compressor.write(chunk); });
  compressor.finish();
  struct stat after {};
  if (::fstat(in.get(), &after) != 0) ops::fail_errno("cannot stat " + shown.string(), errno);
  if (!unchanged(seen, after) || written.size != static_cast<std::uint64_t>(seen.st_size))
    return {CompressOutcome::changed, r.bytes_before, 0, r.target};
  if (::fsync(out.fd()) != 0) ops::fail_errno("cannot fsync " + out.shown().string(), errno);
  const Digest check = digest_decompressed(out.fd(), out.shown());
  if (!(check == written))
    ops::fail("verifying " + out.shown().string() + " failed: it does not decompress to " + shown.string());
  copy_metadata(out.fd(), st, out.shown());
  if (!out.publish()) {
    r.outcome = CompressOutcome::target_exists;
    return r;
  }
  in.reset();
  remove_original(dirfd, name, seen, shown_dir);
  return r;
}

}  // namespace opsarchive
