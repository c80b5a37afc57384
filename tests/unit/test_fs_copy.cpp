// ops/fs_copy.hpp: a copy keeps the holes of a sparse file (a log written at
// its own offset after a truncation is mostly hole), and its bytes.
#include <ops/fs.hpp>
#include <ops/fs_copy.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using ops::test::slurp;
using ops::test::TempDir;

constexpr off_t kMiB = 1024 * 1024;

// data at the front, a 10 MiB hole, then `tail` (none: the file ends in the hole).
fs::path sparse_file(const TempDir& dir, const std::string& name, const std::string& tail) {
  fs::path p = dir.path() / name;
  ops::Fd fd = ops::open_file(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ops::write_all(fd.get(), "zero", name);
  REQUIRE(::ftruncate(fd.get(), 10 * kMiB) == 0);
  if (!tail.empty()) REQUIRE(::pwrite(fd.get(), tail.data(), tail.size(), 10 * kMiB) == static_cast<ssize_t>(tail.size()));
  return p;
}

struct stat stat_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st;
}

// Bytes the file takes on disk.
off_t allocated(const fs::path& p) { return stat_of(p).st_blocks * 512; }

std::uint64_t copy(const fs::path& from, std::uint64_t offset, const fs::path& to, int extra_flags = O_TRUNC) {
  ops::Fd in = ops::open_file(from, O_RDONLY);
  ops::Fd out = ops::open_file(to, O_WRONLY | O_CREAT | extra_flags, 0644);
  REQUIRE(::lseek(out.get(), 0, SEEK_END) >= 0);
  return ops::copy_keeping_holes(in.get(), offset, out.get(), from.string(), to.string());
}

}  // namespace

TEST_CASE("copy_keeping_holes copies a hole in the middle as a hole", "[fs_copy]") {
  TempDir dir;
  fs::path log = sparse_file(dir, "app.log", "x\n");
  REQUIRE(allocated(log) < kMiB);  // the filesystem makes sparse files
  fs::path copy_path = dir.path() / "app.log.1";
  CHECK(copy(log, 0, copy_path) == static_cast<std::uint64_t>(10 * kMiB + 2));
  CHECK(slurp(copy_path) == slurp(log));
  CHECK(allocated(copy_path) < kMiB);
}

TEST_CASE("copy_keeping_holes extends the copy over a hole at the end", "[fs_copy]") {
  TempDir dir;
  fs::path log = sparse_file(dir, "app.log", "");
  fs::path copy_path = dir.path() / "app.log.1";
  CHECK(copy(log, 0, copy_path) == static_cast<std::uint64_t>(10 * kMiB));
  CHECK(stat_of(copy_path).st_size == 10 * kMiB);
  CHECK(slurp(copy_path) == slurp(log));
  CHECK(allocated(copy_path) < kMiB);
}

TEST_CASE("copy_keeping_holes copies from an offset onto the end of what out holds", "[fs_copy]") {
  TempDir dir;
  fs::path log = sparse_file(dir, "app.log", "tail\n");
  fs::path copy_path = dir.path() / "app.log.1";
  ops::test::spit(copy_path, "before|");
  CHECK(copy(log, 2, copy_path, 0) == static_cast<std::uint64_t>(10 * kMiB + 5));
  const std::string whole = slurp(log);
  CHECK(slurp(copy_path) == "before|" + whole.substr(2));
  CHECK(allocated(copy_path) < kMiB);
}

TEST_CASE("copy_keeping_holes copies a file without holes whole, and nothing past its end", "[fs_copy]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "line " + std::to_string(i) + "\n";
  fs::path log = dir.write("app.log", text);
  fs::path copy_path = dir.path() / "copy";
  CHECK(copy(log, 0, copy_path) == text.size());
  CHECK(slurp(copy_path) == text);
  CHECK(copy(log, text.size(), dir.path() / "empty") == text.size());
  CHECK(stat_of(dir.path() / "empty").st_size == 0);
}
