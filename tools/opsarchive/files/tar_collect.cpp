#include "opsarchive/files/tar_collect.hpp"
#include "opsarchive/files/file_rules.hpp"

#include <ops/error.hpp>
#include <ops/hash.hpp>
#include <ops/log.hpp>
#include <ops/tar.hpp>

#include <cerrno>
#include <fmt/format.h>
#include <fcntl.h>
#include <grp.h>
#include <map>
#include <pwd.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsarchive {

namespace {

struct Stored {
  std::uint64_t size = 0;
  std::string sha256;
  bool intact = true;  // read whole and unchanged
  bool seen_again = false;
};

std::string user_name(uid_t uid) {
  static std::map<uid_t, std::string> cache;
  auto [it, fresh] = cache.try_emplace(uid);
  if (fresh) {
    struct passwd pw {}, *found = nullptr;
    char buf[4096];
    if (::getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found) it->second = found->pw_name;
  }
  return it->second;
}

std::string group_name(gid_t gid) {
  static std::map<gid_t, std::string> cache;
  auto [it, fresh] = cache.try_emplace(gid);
  if (fresh) {
    struct group gr {}, *found = nullptr;
    char buf[4096];
    if (::getgrgid_r(gid, &gr, buf, sizeof buf, &found) == 0 && found) it->second = found->gr_name;
  }
  return it->second;
}

// One member: header from the walk's stat, data read from the file opened
// without following symlinks. A file that changed meanwhile is stored as
// far as it goes and marked, so its original is kept.
Stored add_member(ops::TarWriter& tar, const Root& root, const TarInput& input) {
  const Candidate& c = *input.file;
  const fs::path shown = root.given / c.relative;
  ops::Dir dir = root.dir.below(c.relative.parent_path());
  ops::Fd fd = dir.open_read(c.relative.filename().string());
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) ops::fail_errno("cannot stat " + shown.string(), errno);
  Stored s;
  s.intact = ops::unchanged(c.st, st);

  ops::ArchiveEntry entry(archive_entry_new());
  if (!entry) ops::fail("cannot archive " + shown.string() + ": out of memory");
  archive_entry* e = entry.get();
  archive_entry_set_pathname(e, input.member.c_str());
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, c.st.st_mode & 07777);
  archive_entry_set_size(e, c.st.st_size);
  archive_entry_set_uid(e, c.st.st_uid);
  archive_entry_set_gid(e, c.st.st_gid);
  if (auto u = user_name(c.st.st_uid); !u.empty()) archive_entry_set_uname(e, u.c_str());
  if (auto g = group_name(c.st.st_gid); !g.empty()) archive_entry_set_gname(e, g.c_str());
  archive_entry_set_mtime(e, c.st.st_mtim.tv_sec, c.st.st_mtim.tv_nsec);
  archive_entry_set_atime(e, c.st.st_atim.tv_sec, c.st.st_atim.tv_nsec);
  tar.write_header(e);

  ops::Sha256 hash;
  std::vector<char> buf(64 * 1024);
  const auto want = static_cast<std::uint64_t>(c.st.st_size);
  while (s.size < want) {
    const std::size_t n =
        ops::read_some(fd.get(), buf.data(), std::min<std::uint64_t>(buf.size(), want - s.size), shown.string());
    if (n == 0) break;
    std::string_view chunk(buf.data(), n);
    tar.write_data(chunk);
    hash.update(chunk);
    s.size += chunk.size();
  }
  char extra;
  struct stat after {};
  if (s.size != want || ops::read_some(fd.get(), &extra, 1, shown.string()) != 0 || ::fstat(fd.get(), &after) != 0 ||
      !ops::unchanged(c.st, after))
    s.intact = false;
  s.sha256 = hash.hex_digest();
  return s;
}

// Reads the archive back and checks every member we stored.
void verify_tar(const fs::path& path, ops::Compression compression, std::map<std::string, Stored>& stored) {
  ops::read_tar(path, compression, [&](archive* a) {
    archive_entry* e = nullptr;
    int rc;
    std::vector<char> buf(1 << 20);
    while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      const std::string name = archive_entry_pathname(e);
      auto it = stored.find(name);
      if (it == stored.end() || it->second.seen_again)
        ops::fail("verifying " + path.string() + " failed: unexpected member " + name);
      ops::Sha256 hash;
      std::uint64_t size = 0;
      la_ssize_t n;
      while ((n = archive_read_data(a, buf.data(), buf.size())) > 0) {
        hash.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
        size += static_cast<std::uint64_t>(n);
      }
      if (n < 0) ops::fail("verifying " + path.string() + " failed: " + name + ": " + ops::archive_message(a));
      it->second.seen_again = true;
      if (it->second.intact && (size != it->second.size || hash.hex_digest() != it->second.sha256))
        ops::fail("verifying " + path.string() + " failed: " + name + " differs from what was written");
    }
    if (rc != ARCHIVE_EOF) ops::fail("verifying " + path.string() + " failed: " + ops::archive_message(a));
  });
  for (const auto& [name, s] : stored)
    if (!s.seen_again) ops::fail("verifying " + path.string() + " failed: " + name + " is missing");
}

}  // namespace

TarResult write_tar(const fs::path& path, const ops::CompressOptions& options, const std::vector<Root>& roots,
                    const std::vector<TarInput>& inputs) {
  ops::TempFile out(ops::Dir::open_parent(path), path.filename().string(), {0600, std::string(temp_tag)});
  ops::Utf8Names utf8;

  TarResult result;
  std::map<std::string, Stored> stored;
  std::vector<const Stored*> order;
  {
    ops::Compressor compressor(options, [&](std::string_view data) {
      out.write(data);
      result.tar_bytes += data.size();
    });
    ops::TarWriter tar([&](std::string_view data) { compressor.write(data); });
    for (const auto& input : inputs) {
      Stored s = add_member(tar, roots[input.file->root], input);
      if (!s.intact) {
        ops::log::warning_line(fmt::format("{} changed while it was archived; kept",
                                           (roots[input.file->root].given / input.file->relative).string()));
        result.status = ops::Status::warning;
      }
      result.plain_bytes += s.size;
      auto [it, fresh] = stored.emplace(input.member, std::move(s));
      if (!fresh) ops::fail("cannot archive two files as " + input.member);
      order.push_back(&it->second);
    }
    tar.close();
    compressor.finish();
  }
  if (::fsync(out.fd()) != 0) ops::fail_errno("cannot fsync " + out.path().string(), errno);
  verify_tar(out.path(), options.format, stored);
  if (!out.publish()) ops::fail("cannot create " + path.string() + ": it exists (made by another run?)");
  for (const Stored* s : order) result.stored.push_back(s->intact);
  return result;
}

}  // namespace opsarchive
