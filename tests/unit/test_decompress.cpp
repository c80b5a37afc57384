// ops/compress.hpp, decompressing: files made by us and by the real tools,
// concatenated members, and truncated or damaged files, which must be errors
// naming the file, never a quiet success.
#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "support.hpp"

#include <chrono>
#include <fcntl.h>
#include <string>
#include <thread>
#include <unistd.h>

using namespace std::string_literals;
using ops::Compression;
using ops::test::compress;
using ops::test::decompress_file;
using ops::test::dump_like;
using ops::test::error_from;
using ops::test::installed;
using ops::test::run;
using ops::test::same_bytes;
using ops::test::TempDir;

namespace {

const Compression compressed_formats[] = {Compression::gzip, Compression::zstd, Compression::xz};

// The error decompressing `bytes` saved as a file, whose name it must start with.
ops::Error decompress_error(const TempDir& dir, const std::string& bytes, Compression c, bool give_format = false) {
  auto path = dir.write("backup.sql" + std::string(ops::compression_suffix(c)), bytes);
  ops::Error e = error_from([&] { decompress_file(path, give_format ? std::optional(c) : std::nullopt); });
  CHECK(e.status() == ops::Status::critical);
  CHECK_THAT(e.what(), Catch::Matchers::StartsWith(path.string() + ": "));
  return e;
}

}  // namespace

TEST_CASE("compress: a truncated file is an error naming the file, in every format") {
  TempDir dir;
  for (Compression c : compressed_formats) {
    std::string whole = compress(dump_like(600 * 1024), c, 1, 2);
    for (std::size_t cut : {whole.size() - 1, whole.size() - 4, whole.size() / 2, std::size_t{10}}) {
      INFO(ops::compression_name(c) << " cut to " << cut << " of " << whole.size() << " bytes");
      ops::Error e = decompress_error(dir, whole.substr(0, cut), c);
      CHECK_THAT(e.what(), Catch::Matchers::EndsWith(": unexpected end of compressed data"));
    }
    INFO(ops::compression_name(c) << ", an empty file");
    CHECK_THAT(decompress_error(dir, "", c, true).what(),
               Catch::Matchers::EndsWith(": unexpected end of compressed data"));
  }
}

TEST_CASE("compress: a damaged file is an error naming the file and the format, in every format") {
  TempDir dir;
  for (Compression c : compressed_formats) {
    std::string good = compress(dump_like(600 * 1024), c, 6, 2);
    for (std::size_t at : {good.size() / 3, good.size() / 2, good.size() - 2}) {
      INFO(ops::compression_name(c) << ", byte " << at << " of " << good.size() << " flipped");
      std::string bad = good;
      bad[at] = static_cast<char>(bad[at] ^ 0x10);
      ops::Error e = decompress_error(dir, bad, c);
      CHECK_THAT(e.what(), Catch::Matchers::Contains(": corrupt " + std::string(ops::compression_name(c)) + " data: "));
    }
  }
  // gzip's trailer: its CRC-32, then the length.
  std::string gz = compress("some rows\n", Compression::gzip);
  std::string bad_crc = gz, bad_length = gz;
  bad_crc[gz.size() - 8] ^= 1;
  bad_length[gz.size() - 1] ^= 1;
  CHECK_THAT(decompress_error(dir, bad_crc, Compression::gzip).what(),
             Catch::Matchers::EndsWith("incorrect data check"));
  CHECK_THAT(decompress_error(dir, bad_length, Compression::gzip).what(),
             Catch::Matchers::EndsWith("incorrect length check"));
}

TEST_CASE("compress: garbage after the data, or data of another format, is an error") {
  TempDir dir;
  const std::string garbage = "-- not compressed, appended by mistake\n";
  for (Compression c : compressed_formats)
    CHECK_THAT(decompress_error(dir, compress("rows\n", c) + garbage, c).what(),
               Catch::Matchers::Contains("corrupt " + std::string(ops::compression_name(c)) + " data"));
  for (Compression c : compressed_formats)
    CHECK_THAT(decompress_error(dir, "INSERT INTO t VALUES (1);\n", c, true).what(),
               Catch::Matchers::Contains("corrupt " + std::string(ops::compression_name(c)) + " data"));
}

TEST_CASE("compress: concatenated gzip members, zstd frames and xz streams decompress as one") {
  TempDir dir;
  std::string a = dump_like(200 * 1024, 1), b = dump_like(70 * 1024, 2);
  for (Compression c : compressed_formats) {
    INFO(ops::compression_name(c));
    auto path = dir.write("two" + std::string(ops::compression_suffix(c)), compress(a, c) + compress(b, c, 1, 1));
    CHECK(same_bytes(decompress_file(path), a + b));
  }
  // A member made by the real gzip after one of ours; zcat agrees.
  auto plain = dir.write("b.sql", b);
  REQUIRE(run("gzip -c '" + plain.string() + "' > '" + dir.str() + "/b.gz'") == 0);
  auto both = dir.write("both.gz", compress(a, Compression::gzip) + ops::test::slurp(dir.path() / "b.gz"));
  CHECK(same_bytes(decompress_file(both), a + b));
  REQUIRE(run("zcat '" + both.string() + "' > '" + dir.str() + "/both'") == 0);
  CHECK(same_bytes(ops::test::slurp(dir.path() / "both"), a + b));
}

TEST_CASE("compress: files made by the real gzip, xz and zstd decompress, and they accept ours") {
  TempDir dir;
  std::string data = dump_like(3 * 1024 * 1024 + 11, 9);
  auto plain = dir.write("dump.sql", data);
  struct Tool {
    const char* path;
    Compression format;
  };
  for (Tool tool : {Tool{"/usr/bin/gzip", Compression::gzip}, Tool{"/usr/bin/xz", Compression::xz},
                    Tool{"/usr/bin/zstd", Compression::zstd}}) {
    if (!ops::test::installed(tool.path)) {
      WARN(tool.path << " is not installed: checked through decompress_fd only");
      continue;
    }
    INFO(tool.path);
    std::string theirs = dir.str() + "/theirs" + std::string(ops::compression_suffix(tool.format));
    REQUIRE(run(std::string(tool.path) + " -q -c '" + plain.string() + "' > '" + theirs + "'") == 0);
    CHECK(same_bytes(decompress_file(theirs), data));
    auto ours = dir.write("ours" + std::string(ops::compression_suffix(tool.format)), compress(data, tool.format));
    CHECK(run(std::string(tool.path) + " -q -t '" + ours.string() + "'") == 0);
    CHECK(run(std::string(tool.path) + " -q -d -c '" + ours.string() + "' > '" + dir.str() + "/back'") == 0);
    CHECK(same_bytes(ops::test::slurp(dir.path() / "back"), data));
  }
}

TEST_CASE("compress: a plain file is copied, also one that looks compressed when none is asked") {
  TempDir dir;
  auto plain = dir.write("dump.sql", "INSERT INTO t VALUES (1);\n");
  CHECK(decompress_file(plain) == "INSERT INTO t VALUES (1);\n");
  auto empty = dir.write("empty.sql", "");
  CHECK(decompress_file(empty).empty());
  std::string gz = compress("rows\n", Compression::gzip);
  CHECK(decompress_file(dir.write("raw.gz", gz), Compression::none) == gz);
}

TEST_CASE("compress: decompress_fd reads a pipe that delivers the magic byte by byte") {
  std::string data = dump_like(500 * 1024);
  std::string packed = compress(data, Compression::xz);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ops::Fd read_end(fds[0]);
  std::thread writer([fd = fds[1], &packed] {
    ops::Fd write_end(fd);
    for (std::size_t i = 0; i < 8; ++i) {
      ops::write_all(write_end.get(), std::string_view(packed).substr(i, 1), "pipe");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ops::write_all(write_end.get(), std::string_view(packed).substr(8), "pipe");
  });
  std::string out;
  ops::decompress_fd(read_end.get(), "stdin", [&](std::string_view b) { out.append(b); });
  writer.join();
  CHECK(same_bytes(out, data));
}

TEST_CASE("compress: a read error names what was being read") {
  TempDir dir;
  ops::Fd fd = ops::open_file(dir.path(), O_RDONLY | O_DIRECTORY);
  ops::Error e = error_from([&] { ops::decompress_fd(fd.get(), "backup.sql.gz", [](std::string_view) {}); });
  CHECK(e.status() == ops::Status::critical);
  CHECK(e.what() == "cannot read backup.sql.gz: Is a directory"s);
}
