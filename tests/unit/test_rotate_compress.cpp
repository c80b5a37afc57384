// Compressing a rotated log: gzip that gunzip reads, the log's mode and mtime
// kept, the plain file gone only once the compressed one is in place, and
// compresscmd honoured when it names another program.
#include "opsrotate/rotation/compress_log.hpp"
#include "support.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>

using namespace opsrotate;
using ops::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string lines(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += "10.0.0." + std::to_string(i % 250) + " GET /cases/" + std::to_string(i) + " 200\n";
  return text;
}

std::string gunzip(const fs::path& p) {
  ops::Fd fd = ops::open_file(p, O_RDONLY);
  std::string out;
  ops::decompress_fd(fd.get(), p.string(), [&](std::string_view d) { out.append(d); });
  return out;
}

}  // namespace

TEST_CASE("rotate compress: in-process gzip keeps content, mode and mtime, removes the plain file") {
  TempDir dir;
  fs::path plain = dir.path() / "app.log.1", packed = dir.path() / "app.log.1.gz";
  const std::string text = lines(50000);
  ops::test::spit(plain, text);
  ::chmod(plain.c_str(), 0640);
  const struct timespec times[2] = {{1700000000, 0}, {1700000000, 0}};
  ::utimensat(AT_FDCWD, plain.c_str(), times, 0);

  LogConfig c;
  c.compress = true;
  auto [in, out] = compress_log(plain, packed, c);
  CHECK(in == text.size());
  CHECK(out == fs::file_size(packed));
  CHECK(out < in / 4);
  CHECK_FALSE(fs::exists(plain));
  CHECK(gunzip(packed) == text);
  struct stat st {};
  REQUIRE(::stat(packed.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_mtim.tv_sec == 1700000000);
  // Nothing else left in the directory (no temporary file).
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("rotate compress: compresscmd with options we do not model runs the program") {
  TempDir dir;
  fs::path plain = dir.path() / "app.log.1", packed = dir.path() / "app.log.1.xz";
  ops::test::spit(plain, lines(1000));
  LogConfig c;
  c.compress = true;
  c.compresscmd = "/usr/bin/xz";
  c.compressoptions = "-3 -T1";
  c.compressoptions_set = true;
  compress_log(plain, packed, c);
  CHECK(gunzip(packed) == lines(1000));  // decompress_fd detects xz
  CHECK_FALSE(fs::exists(plain));
}

TEST_CASE("rotate compress: a failing compresscmd leaves the plain log and no partial file") {
  TempDir dir;
  fs::path plain = dir.path() / "app.log.1", packed = dir.path() / "app.log.1.gz";
  ops::test::spit(plain, "line\n");
  LogConfig c;
  c.compress = true;
  c.compresscmd = "/bin/false";
  CHECK_THROWS_WITH(compress_log(plain, packed, c), Catch::Contains("compressing") && Catch::Contains("/bin/false failed"));
  CHECK(ops::test::slurp(plain) == "line\n");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}
