// ops/compress.hpp, compressing: format names and levels as operators type
// them, round trips of every format, and gzip output that the real gzip reads.
#include <ops/compress.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "support.hpp"

#include <stdexcept>
#include <string>
#include <vector>

using namespace std::string_literals;
using ops::Compression;
using ops::test::compress;
using ops::test::decompress_file;
using ops::test::dump_like;
using ops::test::error_from;
using ops::test::run;
using ops::test::same_bytes;
using ops::test::TempDir;

namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;
const Compression all_formats[] = {Compression::gzip, Compression::zstd, Compression::xz, Compression::none};

std::vector<int> levels_to_try(Compression c) {
  switch (c) {
    case Compression::gzip: return {1, 6, 9};
    case Compression::zstd: return {1, 3, 19};
    case Compression::xz: return {0, 1, 6};  // 9 needs 674 MiB a thread
    case Compression::none: break;
  }
  return {-1};
}

void check_round_trip(const TempDir& dir, const std::string& data, Compression c, int level, unsigned threads) {
  INFO(ops::compression_name(c) << " level " << level << ", " << threads << " threads, " << data.size() << " bytes");
  std::string packed = compress(data, c, level, threads);
  auto path = dir.write("data" + std::string(ops::compression_suffix(c)), packed);
  CHECK(same_bytes(decompress_file(path), data));
  CHECK(same_bytes(decompress_file(path, c), data));
}

}  // namespace

TEST_CASE("compress: format names, aliases and suffixes") {
  CHECK(ops::parse_compression("gzip") == Compression::gzip);
  CHECK(ops::parse_compression("gz") == Compression::gzip);
  CHECK(ops::parse_compression("zstd") == Compression::zstd);
  CHECK(ops::parse_compression("zst") == Compression::zstd);
  CHECK(ops::parse_compression("xz") == Compression::xz);
  CHECK(ops::parse_compression("none") == Compression::none);
  for (Compression c : all_formats) CHECK(ops::parse_compression(ops::compression_name(c)) == c);
  CHECK(ops::compression_suffix(Compression::gzip) == ".gz");
  CHECK(ops::compression_suffix(Compression::zstd) == ".zst");
  CHECK(ops::compression_suffix(Compression::xz) == ".xz");
  CHECK(ops::compression_suffix(Compression::none).empty());
}

TEST_CASE("compress: an unknown format name is a usage error listing the choices") {
  for (const char* bad : {"bz2", "", "GZIP", "lz4"}) {
    ops::Error e = error_from([&] { ops::parse_compression(bad); });
    CHECK(e.status() == ops::Status::unknown);
    CHECK(e.what() == "unknown compression '"s + bad + "': expected gzip, zstd, xz or none");
  }
}

TEST_CASE("compress: default levels and ranges") {
  CHECK(ops::default_level(Compression::gzip) == 6);
  CHECK(ops::default_level(Compression::zstd) == 3);
  CHECK(ops::default_level(Compression::xz) == 6);
  CHECK(ops::level_range(Compression::gzip) == std::pair{1, 9});
  CHECK(ops::level_range(Compression::zstd) == std::pair{1, 19});
  CHECK(ops::level_range(Compression::xz) == std::pair{0, 9});
  CHECK(ops::resolve_level(Compression::gzip, -1) == 6);
  CHECK(ops::resolve_level(Compression::xz, 0) == 0);
  CHECK(ops::resolve_level(Compression::zstd, 19) == 19);
  CHECK(ops::resolve_level(Compression::none, -1) == 0);
}

TEST_CASE("compress: a level out of range is a usage error naming the value and the range") {
  auto message = [](Compression c, int level) {
    ops::Error e = error_from([&] { ops::resolve_level(c, level); });
    CHECK(e.status() == ops::Status::unknown);
    return std::string(e.what());
  };
  CHECK(message(Compression::gzip, 12) == "compression level 12 is out of range for gzip (1-9)");
  CHECK(message(Compression::gzip, 0) == "compression level 0 is out of range for gzip (1-9)");
  CHECK(message(Compression::zstd, 20) == "compression level 20 is out of range for zstd (1-19)");
  CHECK(message(Compression::zstd, -5) == "compression level -5 is out of range for zstd (1-19)");
  CHECK(message(Compression::xz, 10) == "compression level 10 is out of range for xz (0-9)");
  CHECK(message(Compression::none, 5) == "compression level 5 is out of range for none (only 0)");

  // The Compressor refuses it before writing anything.
  bool sink_called = false;
  ops::Error e = error_from([&] { ops::Compressor c({Compression::gzip, 12, 2}, [&](auto) { sink_called = true; }); });
  CHECK(e.what() == "compression level 12 is out of range for gzip (1-9)"s);
  CHECK_FALSE(sink_called);
}

TEST_CASE("compress: detect_compression knows each magic number") {
  CHECK(ops::detect_compression("\x1f\x8b\x08\x00"s) == Compression::gzip);
  CHECK(ops::detect_compression("\x28\xb5\x2f\xfd\x04"s) == Compression::zstd);
  CHECK(ops::detect_compression("\xfd\x37\x7a\x58\x5a\x00\x00"s) == Compression::xz);
  CHECK_FALSE(ops::detect_compression("INSERT INTO t VALUES (1);\n"));
  CHECK_FALSE(ops::detect_compression(""));
  CHECK_FALSE(ops::detect_compression("\x1f"));
  CHECK_FALSE(ops::detect_compression("\xfd\x37\x7a\x58\x5a"));  // no final 00
  for (Compression c : {Compression::gzip, Compression::zstd, Compression::xz})
    CHECK(ops::detect_compression(compress("x", c)) == c);
}

TEST_CASE("compress: every format round-trips empty, tiny, block-sized and many-block inputs") {
  TempDir dir;
  // 128 KiB is the gzip block; 1 MiB + 3 is many blocks and a short last one.
  std::vector<std::string> inputs = {"", "x", dump_like(1000), dump_like(128 * KiB - 1), dump_like(128 * KiB),
                                     dump_like(128 * KiB + 1), dump_like(1 * MiB + 3, 7), std::string(300 * KiB, 'a')};
  for (Compression c : all_formats)
    for (int level : levels_to_try(c))
      for (unsigned threads : {1u, 2u})
        for (const auto& data : inputs) check_round_trip(dir, data, c, level, threads);
}

TEST_CASE("compress: 20 MB round-trips in every format on one and two threads") {
  TempDir dir;
  std::string data = dump_like(20 * MiB, 42);
  for (Compression c : all_formats)
    for (unsigned threads : {1u, 2u}) check_round_trip(dir, data, c, c == Compression::xz ? 1 : -1, threads);
}

TEST_CASE("compress: counts plain bytes in and compressed bytes out") {
  std::string data = dump_like(3 * MiB);
  for (Compression c : all_formats) {
    std::string out;
    ops::Compressor comp({c, -1, 2}, [&](std::string_view b) { out.append(b); });
    comp.write(data);
    CHECK(comp.bytes_in() == data.size());
    comp.finish();
    CHECK(comp.bytes_out() == out.size());
    if (c != Compression::none) CHECK(out.size() < data.size() / 2);
  }
}

TEST_CASE("compress: gzip output is one member the real gzip accepts and zcat reproduces") {
  TempDir dir;
  std::vector<std::string> inputs = {"", "x", dump_like(128 * KiB), dump_like(5 * MiB + 17, 3)};
  for (int level : {1, 6, 9})
    for (unsigned threads : {1u, 2u})
      for (const auto& data : inputs) {
        INFO("level " << level << ", " << threads << " threads, " << data.size() << " bytes");
        auto gz = dir.write("dump.sql.gz", compress(data, Compression::gzip, level, threads));
        CHECK(run("gzip -t '" + gz.string() + "'") == 0);
        CHECK(run("zcat '" + gz.string() + "' > '" + dir.str() + "/plain'") == 0);
        CHECK(same_bytes(ops::test::slurp(dir.path() / "plain"), data));
      }
}

TEST_CASE("compress: gzip output does not depend on the number of threads") {
  std::string data = dump_like(3 * MiB + 5);
  std::string one = compress(data, Compression::gzip, 6, 1);
  CHECK(same_bytes(compress(data, Compression::gzip, 6, 2), one));
  CHECK(same_bytes(compress(data, Compression::gzip, 6, 3), one));
}

TEST_CASE("compress: gzip in blocks compresses within 2% of gzip -6") {
  TempDir dir;
  auto plain = dir.write("dump.sql", dump_like(8 * MiB, 5));
  REQUIRE(run("gzip -6 -c '" + plain.string() + "' > '" + dir.str() + "/ref.gz'") == 0);
  auto ours = compress(ops::test::slurp(plain), Compression::gzip, 6, 2).size();
  auto reference = std::filesystem::file_size(dir.path() / "ref.gz");
  INFO("ours " << ours << " bytes, gzip -6 " << reference << " bytes");
  CHECK(ours < reference * 102 / 100);
}

TEST_CASE("compress: an exception from the sink comes out of write or finish and the compressor can go") {
  std::string data = dump_like(4 * MiB);
  for (Compression c : all_formats)
    for (unsigned threads : {1u, 2u}) {
      INFO(ops::compression_name(c) << ", " << threads << " threads");
      std::size_t seen = 0;
      ops::Compressor comp({c, c == Compression::none ? -1 : 1, threads}, [&](std::string_view b) {
        seen += b.size();
        if (seen > 100 * KiB) throw std::runtime_error("disk full");
      });
      CHECK_THROWS_WITH([&] {
        comp.write(data);
        comp.finish();
      }(), "disk full");
      CHECK_THROWS_AS(comp.write("more"), std::logic_error);
      CHECK_THROWS_AS(comp.finish(), std::logic_error);
    }
}

TEST_CASE("compress: a compressor destroyed without finish stops its threads and leaves a truncated stream") {
  TempDir dir;
  for (Compression c : {Compression::gzip, Compression::zstd, Compression::xz}) {
    INFO(ops::compression_name(c));
    std::string out;
    {
      ops::Compressor comp({c, -1, 2}, [&](std::string_view b) { out.append(b); });
      comp.write(dump_like(3 * MiB));
    }
    auto path = dir.write("partial", out);
    CHECK_THAT(error_from([&] { decompress_file(path, c); }).what(),
               Catch::Matchers::EndsWith("unexpected end of compressed data"));
  }
  // Destroyed before anything was written, and right after a write that filled the pipeline.
  { ops::Compressor comp({Compression::gzip, 6, 2}, [](std::string_view) {}); }
  {
    ops::Compressor comp({Compression::gzip, 9, 2}, [](std::string_view) {});
    comp.write(std::string(2 * MiB, 'z'));
  }
}

TEST_CASE("compress: write after finish is a programming error") {
  ops::Compressor comp({Compression::gzip, -1, 2}, [](std::string_view) {});
  comp.write("abc");
  comp.finish();
  CHECK_THROWS_AS(comp.write("abc"), std::logic_error);
}
