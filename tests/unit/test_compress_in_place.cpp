// ops::compress_in_place: verify, then remove; never overwrite; mode, owner
// and times kept; and decompresses_to, which tells a crashed run's copy from
// another file of the same name.
#include <ops/compress.hpp>
#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using ops::test::slurp;
using ops::test::TempDir;

namespace {

std::string unpack(const fs::path& p) {
  ops::Fd fd = ops::open_file(p, O_RDONLY);
  std::string out;
  ops::decompress_fd(fd.get(), p.string(), [&](std::string_view d) { out.append(d); });
  return out;
}

std::string packed(const std::string& plain) {
  std::string out;
  ops::Compressor c({ops::Compression::gzip, 6, 1}, [&](std::string_view d) { out.append(d); });
  c.write(plain);
  c.finish();
  return out;
}

}  // namespace

TEST_CASE("compress in place: the original goes once the copy is verified, keeping mode and mtime") {
  TempDir t;
  const std::string text(100000, 'x');
  fs::path plain = t.write("app.log.1", text, 0640);
  const struct timespec times[2] = {{1700000000, 0}, {1700000000, 0}};
  ::utimensat(AT_FDCWD, plain.c_str(), times, 0);
  ops::Dir dir = ops::Dir::open(t.path());
  auto r = ops::compress_in_place(dir, "app.log.1", {});
  CHECK(r.outcome == ops::InPlace::compressed);
  CHECK(r.target == "app.log.1.gz");
  CHECK(r.bytes_before == text.size());
  CHECK(r.bytes_after == fs::file_size(t.path() / "app.log.1.gz"));
  CHECK_FALSE(fs::exists(plain));
  CHECK(unpack(t.path() / "app.log.1.gz") == text);
  struct stat st {};
  REQUIRE(::stat((t.path() / "app.log.1.gz").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_mtim.tv_sec == 1700000000);
  CHECK(ops::list_names(dir) == std::vector<std::string>{"app.log.1.gz"});
}

TEST_CASE("compress in place: an existing target is never overwritten") {
  TempDir t;
  t.write("app.log.1", "plain\n");
  t.write("app.log.1.gz", "someone else's\n");
  ops::Dir dir = ops::Dir::open(t.path());
  auto r = ops::compress_in_place(dir, "app.log.1", {});
  CHECK(r.outcome == ops::InPlace::target_exists);
  CHECK(slurp(t.path() / "app.log.1") == "plain\n");
  CHECK(slurp(t.path() / "app.log.1.gz") == "someone else's\n");
  CHECK(ops::list_names(dir).size() == 2);
}

TEST_CASE("compress in place: a file that is not the one seen is left alone") {
  TempDir t;
  fs::path plain = t.write("app.log", "one\n");
  struct stat seen {};
  REQUIRE(::stat(plain.c_str(), &seen) == 0);
  std::ofstream(plain, std::ios::app) << "two\n";
  ops::InPlaceOptions options;
  options.seen = seen;
  ops::Dir dir = ops::Dir::open(t.path());
  CHECK(ops::compress_in_place(dir, "app.log", options).outcome == ops::InPlace::changed);
  CHECK(slurp(plain) == "one\ntwo\n");
  CHECK(ops::list_names(dir) == std::vector<std::string>{"app.log"});
}

TEST_CASE("compress in place: a program that writes a corrupt copy fails, and the original stays") {
  TempDir t;
  t.write("app.log", "line\n");
  ops::InPlaceOptions options;
  options.program = [](int, int out) {
    std::string bad = packed("other\n");
    ops::write_all(out, bad, "the copy");
  };
  ops::Dir dir = ops::Dir::open(t.path());
  CHECK_THROWS_WITH(ops::compress_in_place(dir, "app.log", options), Catch::Contains("verifying"));
  CHECK(slurp(t.path() / "app.log") == "line\n");
  CHECK(ops::list_names(dir) == std::vector<std::string>{"app.log"});
}

TEST_CASE("compress: decompresses_to tells a copy from another file") {
  TempDir t;
  t.write("a", "same\n");
  t.write("a.gz", packed("same\n"));
  t.write("b.gz", packed("different\n"));
  t.write("c.gz", "not compressed at all");
  ops::Fd a = ops::open_file(t.path() / "a", O_RDONLY);
  auto check = [&](const char* name) {
    ops::Fd z = ops::open_file(t.path() / name, O_RDONLY);
    return ops::decompresses_to(z.get(), name, a.get(), "a");
  };
  CHECK(check("a.gz"));
  CHECK_FALSE(check("b.gz"));
  CHECK_FALSE(check("c.gz"));
}

TEST_CASE("compress: decompresses_to needs every byte, no more and no fewer, in gzip, zstd and xz") {
  TempDir t;
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i) + "\n";
  t.write("a", text);
  for (auto format : {ops::Compression::gzip, ops::Compression::zstd, ops::Compression::xz}) {
    INFO(ops::compression_suffix(format));
    auto pack = [&](const std::string& plain) {
      std::string out;
      ops::Compressor c({format, 3, 2}, [&](std::string_view d) { out.append(d); });
      c.write(plain);
      c.finish();
      return out;
    };
    ops::Fd a = ops::open_file(t.path() / "a", O_RDONLY);
    auto check = [&](const std::string& packed_bytes) {
      t.write("a.packed", packed_bytes);
      ops::Fd z = ops::open_file(t.path() / "a.packed", O_RDONLY);
      return ops::decompresses_to(z.get(), "a.packed", a.get(), "a");
    };
    CHECK(check(pack(text)));
    CHECK_FALSE(check(pack(text.substr(0, text.size() - 1))));  // one byte short
    CHECK_FALSE(check(pack(text + "x")));                        // one byte more
    std::string changed = text;
    changed[text.size() / 2] = '#';
    CHECK_FALSE(check(pack(changed)));  // one byte different
    std::string cut = pack(text);
    CHECK_FALSE(check(cut.substr(0, cut.size() - 5)));  // truncated
  }
}
