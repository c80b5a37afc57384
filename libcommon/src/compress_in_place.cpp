// One file compressed in place: compress.hpp says what is promised.
#include "compress_codec.hpp"

#include <ops/compress.hpp>
#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs_acl.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace ops {

namespace {

// Threads pay off on big files only; most old logs are small, and starting
// workers for each would cost more than it gains.
constexpr off_t kThreadsFrom = 8 << 20;

bool known_format(int fd, const std::string& what) {
  char head[8];
  const std::size_t n = pread_full(fd, head, sizeof head, 0, what);
  return detect_compression(std::string_view(head, n)).has_value();
}

// Mode, owner (as far as we may give it), ACL and times of the original.
void copy_metadata(int in, const std::string& in_what, int fd, const struct stat& st, const std::string& what) {
  // chown before chmod: a chown clears set-id bits the mode may have.
  if (::fchown(fd, st.st_uid, st.st_gid) != 0) {
    if (::geteuid() == 0) fail_errno("cannot set the owner of " + what, errno);
    // Not root: the copy stays ours (like gzip's), in the file's group if we are in it.
    (void)::fchown(fd, static_cast<uid_t>(-1), st.st_gid);
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) fail_errno("cannot set the mode of " + what, errno);
  copy_access_acl(in, in_what, fd, what);
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::futimens(fd, times) != 0) fail_errno("cannot set the times of " + what, errno);
}

}  // namespace

bool decompresses_to(int packed_fd, const std::string& packed_what, int plain_fd, const std::string& plain_what) {
  try {
    return detail::decompresses_to_plain(packed_fd, packed_what, plain_fd, plain_what);
  } catch (const Error&) {
    return false;  // unreadable or not what its name says
  }
}

InPlaceResult compress_in_place(const Dir& dir, const std::string& name, const InPlaceOptions& options) {
  const std::string shown = dir.path(name).string();
  InPlaceResult r;
  r.target = options.target.empty() ? name + std::string(compression_suffix(options.compress.format)) : options.target;
  Fd in = dir.open_read(name);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) fail_errno("cannot stat " + shown, errno);
  if (!S_ISREG(st.st_mode)) fail("cannot compress " + shown + ": not a regular file");
  const struct stat seen = options.seen.value_or(st);
  r.bytes_before = static_cast<std::uint64_t>(seen.st_size);
  if (!unchanged(seen, st)) return {InPlace::changed, r.bytes_before, 0, r.target};
  if (dir.stat(r.target)) return {InPlace::target_exists, r.bytes_before, 0, r.target};

  TempFile out(dir, r.target, {0600, options.temp_tag});
  const std::string out_shown = out.path().string();
  if (::lseek(in.get(), 0, SEEK_SET) < 0) fail_errno("cannot read " + shown, errno);
  std::uint64_t read = 0;  // what the compression was given (the program's: the file's size after it)
  // Where the check may cut the output into parts, and on how many threads.
  std::vector<Compressor::RestartPoint> restarts;
  unsigned threads = 1;
  if (options.program) {
    options.program(in.get(), out.fd());
  } else {
    CompressOptions how = options.compress;
    if (st.st_size < kThreadsFrom) how.threads = 1;
    threads = how.threads != 0 ? how.threads : std::max(1u, std::thread::hardware_concurrency());
    Compressor compressor(how, [&](std::string_view data) { out.write(data); });
    read = read_chunks(in.get(), shown, [&](std::string_view chunk) { compressor.write(chunk); }, 1 << 20);
    compressor.finish();
    restarts = compressor.restart_points();
  }
  struct stat after {};
  if (::fstat(in.get(), &after) != 0) fail_errno("cannot stat " + shown, errno);
  if (options.program) read = static_cast<std::uint64_t>(after.st_size);
  if (!unchanged(seen, after) || read != static_cast<std::uint64_t>(seen.st_size))
    return {InPlace::changed, r.bytes_before, 0, r.target};
  if (::fsync(out.fd()) != 0) fail_errno("cannot fsync " + out_shown, errno);
  // Checked against NAME as it is now, read again. A program's output in a
  // format we cannot read (bzip2…) is vouched for by its exit status alone.
  if (!options.program || known_format(out.fd(), out_shown)) {
    if (!detail::decompresses_to_plain(out.fd(), out_shown, in.get(), shown, restarts, threads)) {
      auto now = dir.stat(name);
      if (!now || !unchanged(seen, *now)) return {InPlace::changed, r.bytes_before, 0, r.target};
      fail("verifying " + out_shown + " failed: it does not decompress to " + shown);
    }
  }
  struct stat packed {};
  if (::fstat(out.fd(), &packed) != 0) fail_errno("cannot stat " + out_shown, errno);
  r.bytes_after = static_cast<std::uint64_t>(packed.st_size);
  copy_metadata(in.get(), shown, out.fd(), st, out_shown);
  if (!out.publish()) return {InPlace::target_exists, r.bytes_before, 0, r.target};
  in.reset();
  auto now = dir.stat(name);
  if (!now || !unchanged(seen, *now)) fail("not removing " + shown + ": it changed");
  dir.remove(name);
  dir.sync();
  return r;
}

}  // namespace ops
