#include "opsarchive/files/compress_file.hpp"
#include "opsarchive/files/file_rules.hpp"

#include <ops/error.hpp>

#include <cerrno>
#include <sys/stat.h>

namespace opsarchive {

namespace {

std::string read_head(int fd, const std::string& what) {
  std::string head(8, '\0');
  head.resize(ops::pread_full(fd, head.data(), head.size(), 0, what));
  return head;
}

void remove_original(const ops::Dir& dir, const std::string& name, const struct stat& seen) {
  auto now = dir.stat(name);
  if (!now || !ops::unchanged(seen, *now)) ops::fail("not removing " + dir.path(name).string() + ": it changed");
  dir.remove(name);
  dir.sync();
}

}  // namespace

CompressResult compress_file(const ops::Dir& dir, const std::string& name, const struct stat& seen,
                             const ops::CompressOptions& options, bool dry_run) {
  const std::string shown = dir.path(name).string();
  CompressResult r;
  r.bytes_before = static_cast<std::uint64_t>(seen.st_size);
  r.target = name + std::string(ops::compression_suffix(options.format));
  ops::Fd in = dir.open_read(name);
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) ops::fail_errno("cannot stat " + shown, errno);
  if (!S_ISREG(st.st_mode) || !ops::unchanged(seen, st)) return {CompressOutcome::changed, r.bytes_before, 0, r.target};
  if (looks_compressed(read_head(in.get(), shown))) return {CompressOutcome::already_compressed, r.bytes_before, 0, r.target};

  // A crashed run may have left NAME and a complete NAME.gz: finish its job.
  for (auto format : {ops::Compression::gzip, ops::Compression::zstd, ops::Compression::xz}) {
    const std::string sibling = name + std::string(ops::compression_suffix(format));
    auto sst = dir.stat(sibling);
    if (!sst) continue;
    bool same = false;
    if (S_ISREG(sst->st_mode)) {
      try {
        ops::Fd packed = dir.open_read(sibling);
        same = ops::decompresses_to(packed.get(), dir.path(sibling).string(), in.get(), shown);
      } catch (const ops::Error&) {
        same = false;  // unreadable: not our copy
      }
    }
    if (same) {
      r.outcome = CompressOutcome::duplicate_removed;
      r.target = sibling;
      r.bytes_after = static_cast<std::uint64_t>(sst->st_size);
      if (!dry_run) {
        dir.sync();  // the copy's rename may not have been made durable
        remove_original(dir, name, seen);
      }
      return r;
    }
    if (sibling == r.target) r.outcome = CompressOutcome::target_exists;
  }
  if (dry_run || r.outcome == CompressOutcome::target_exists) return r;
  in.reset();

  ops::InPlaceOptions how;
  how.compress = options;
  how.target = r.target;
  how.seen = seen;
  how.temp_tag = temp_tag;
  const ops::InPlaceResult done = ops::compress_in_place(dir, name, how);
  r.bytes_after = done.bytes_after;
  switch (done.outcome) {
    case ops::InPlace::compressed: r.outcome = CompressOutcome::compressed; break;
    case ops::InPlace::target_exists: r.outcome = CompressOutcome::target_exists; break;
    case ops::InPlace::changed: r.outcome = CompressOutcome::changed; break;
  }
  return r;
}

}  // namespace opsarchive
