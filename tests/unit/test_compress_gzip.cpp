// The gzip writer on each deflate engine of this build (zlib always, libdeflate
// with OPS_FAST_GZIP): one gzip member, which a reader that stops after the
// first member (PHP's gzdecode, some Java and Go readers) reads whole; gzip -t
// and gzip -l agree; the level still chooses; the default level stays within
// 3 % of gzip -6 on logs, a dump and documents.
#include "../../libcommon/src/compress_codec.hpp"  // the engines are private to libcommon

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "support.hpp"

#include <cctype>
#include <filesystem>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include <zlib.h>

using ops::detail::GzipEngine;
using ops::test::access_log_like;
using ops::test::dump_like;
using ops::test::run;
using ops::test::same_bytes;
using ops::test::TempDir;

namespace {

constexpr std::size_t KiB = 1024, MiB = 1024 * KiB;

std::string gzip_with(GzipEngine engine, std::string_view data, int level, unsigned threads) {
  std::string out;
  auto encoder = ops::detail::make_gzip_encoder(level, threads, [&](std::string_view b) { out.append(b); }, engine);
  static const std::size_t pieces[] = {1, 1000, 70000, 300000, 4096, 2 * MiB};
  for (std::size_t i = 0; !data.empty(); ++i) {
    std::size_t n = std::min(data.size(), pieces[i % 6]);
    encoder->write(data.substr(0, n));
    data.remove_prefix(n);
  }
  encoder->finish();
  return out;
}

struct FirstMember {
  std::string plain;
  std::size_t consumed = 0;  // bytes of the file the member took
  bool complete = false;     // the member ended with a good trailer
};

// Reads like the readers that stop after the first gzip member: zlib's
// inflate on the gzip wrapper, which returns at the member's end.
FirstMember read_first_member(std::string_view gz) {
  FirstMember m;
  z_stream z{};
  REQUIRE(inflateInit2(&z, 16 + 15) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string buffer(256 * KiB, '\0');
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer.data());
    z.avail_out = static_cast<uInt>(buffer.size());
    rc = inflate(&z, Z_NO_FLUSH);
    m.plain.append(buffer.data(), buffer.size() - z.avail_out);
  }
  m.complete = rc == Z_STREAM_END;
  m.consumed = gz.size() - z.avail_in;
  inflateEnd(&z);
  return m;
}

std::uint32_t trailer_size(std::string_view gz) {
  REQUIRE(gz.size() >= 18);
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(gz[gz.size() - 4 + static_cast<std::size_t>(i)]);
  return v;
}

// The documents of backup.sh's tree, the benchmark of opsbackup files: lines
// of 6 to 17 words of its vocabulary (read from the script, so the shape is
// the benchmark's), some with a number, drawn from a pool of 8192 sentences.
std::string documents_like(std::size_t size, std::uint64_t seed = 1) {
  std::string script = ops::test::slurp(std::string(OPS_SOURCE_DIR) + "/scripts/bench/backup.sh");
  auto from = script.find("WORDS='");
  REQUIRE(from != std::string::npos);
  from += 7;
  std::istringstream list(script.substr(from, script.find('\'', from) - from));
  std::vector<std::string> words{std::istream_iterator<std::string>(list), std::istream_iterator<std::string>()};
  REQUIRE(words.size() > 100);
  std::mt19937_64 rng(seed);
  std::vector<std::string> pool(8192);
  for (auto& s : pool) {
    s = words[rng() % words.size()];
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    for (std::size_t n = 5 + rng() % 12; n > 0; --n) s += " " + words[rng() % words.size()];
    if (rng() % 10 < 3) s += " " + std::to_string(rng() % 10000);
    s += ".\n";
  }
  std::string out;
  while (out.size() < size) out += pool[rng() % pool.size()];
  out.resize(size);
  return out;
}

std::string random_bytes(std::size_t size) {
  std::mt19937_64 rng(9);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

}  // namespace

TEST_CASE("gzip engines: zlib is always there, and Compressor uses the first engine") {
  auto engines = ops::detail::gzip_engines();
  REQUIRE_FALSE(engines.empty());
  CHECK(engines.back() == GzipEngine::zlib);
  std::string data = access_log_like(2 * MiB + 3);
  CHECK(same_bytes(ops::test::compress(data, ops::Compression::gzip, 6, 2), gzip_with(engines.front(), data, 6, 2)));
}

TEST_CASE("gzip engines: one member, read whole by a reader that stops after the first member") {
  // Empty, tiny, both engines' block sizes and their neighbours, many blocks
  // with a short last one, incompressible bytes (stored blocks) and one byte repeated.
  std::vector<std::string> inputs = {"",
                                     "x",
                                     access_log_like(128 * KiB + 1),
                                     access_log_like(1 * MiB - 1),
                                     access_log_like(1 * MiB),
                                     access_log_like(1 * MiB + 1),
                                     dump_like(3 * MiB + 17, 3),
                                     random_bytes(2 * MiB + 5),
                                     std::string(1 * MiB + 300 * KiB, 'a')};
  for (GzipEngine engine : ops::detail::gzip_engines())
    for (int level : {1, 6, 9})
      for (unsigned threads : {1u, 2u})
        for (const auto& data : inputs) {
          INFO(ops::detail::gzip_engine_name(engine) << " level " << level << ", " << threads << " threads, "
                                                     << data.size() << " bytes");
          std::string gz = gzip_with(engine, data, level, threads);
          FirstMember m = read_first_member(gz);
          CHECK(m.complete);
          CHECK(m.consumed == gz.size());  // nothing after the first member
          CHECK(same_bytes(m.plain, data));
          CHECK(trailer_size(gz) == data.size());
        }
}

TEST_CASE("gzip engines: gzip -t passes and gzip -l reports the size") {
  TempDir dir;
  std::string data = access_log_like(5 * MiB + 11, 4);
  for (GzipEngine engine : ops::detail::gzip_engines()) {
    INFO(ops::detail::gzip_engine_name(engine));
    auto gz = dir.write("access.log.gz", gzip_with(engine, data, 6, 2));
    CHECK(run("gzip -t '" + gz.string() + "'") == 0);
    // gzip -l: a header line, then "compressed uncompressed ratio name".
    REQUIRE(run("gzip -l '" + gz.string() + "' | awk 'NR == 2 { print $2 }' > '" + dir.str() + "/listed'") == 0);
    CHECK(ops::test::slurp(dir.path() / "listed") == std::to_string(data.size()) + "\n");
  }
}

TEST_CASE("gzip engines: the same bytes on one, two and three threads") {
  std::string data = access_log_like(3 * MiB + 5, 2);
  for (GzipEngine engine : ops::detail::gzip_engines()) {
    INFO(ops::detail::gzip_engine_name(engine));
    std::string one = gzip_with(engine, data, 6, 1);
    CHECK(same_bytes(gzip_with(engine, data, 6, 2), one));
    CHECK(same_bytes(gzip_with(engine, data, 6, 3), one));
  }
}

TEST_CASE("gzip engines: the level chooses, from fastest to smallest") {
  std::string data = access_log_like(4 * MiB, 6);
  for (GzipEngine engine : ops::detail::gzip_engines()) {
    INFO(ops::detail::gzip_engine_name(engine));
    auto one = gzip_with(engine, data, 1, 2).size();
    auto six = gzip_with(engine, data, 6, 2).size();
    auto nine = gzip_with(engine, data, 9, 2).size();
    INFO("level 1: " << one << ", 6: " << six << ", 9: " << nine << " bytes");
    CHECK(one > six);
    CHECK(six > nine);
  }
}

TEST_CASE("gzip engines: the default level is within 3 % of gzip -6 on logs, a dump and documents") {
  TempDir dir;
  struct Input {
    const char* name;
    std::string data;
  };
  const Input inputs[] = {{"access.log", access_log_like(8 * MiB, 5)},
                          {"dump.sql", dump_like(8 * MiB, 5)},
                          {"documents.txt", documents_like(8 * MiB, 5)}};
  for (const auto& input : inputs) {
    auto plain = dir.write(input.name, input.data);
    REQUIRE(run("gzip -6 -c '" + plain.string() + "' > '" + plain.string() + ".gz'") == 0);
    auto reference = std::filesystem::file_size(plain.string() + ".gz");
    for (GzipEngine engine : ops::detail::gzip_engines()) {
      auto ours = gzip_with(engine, input.data, 6, 2).size();
      INFO(input.name << ", " << ops::detail::gzip_engine_name(engine) << ": " << ours << " bytes, gzip -6 "
                      << reference << " bytes");
      CHECK(ours <= reference * 103 / 100);
    }
  }
}

// gunzip_whole: what compress_in_place checks a file just compressed with,
// by each engine's inflate; the same answers as the streaming reader.
TEST_CASE("gzip engines: gunzip_whole reads every member, and says when the data is longer or damaged") {
  const std::string log = access_log_like(3 * MiB + 11);
  const std::string gz = gzip_with(GzipEngine::zlib, log, 6, 2);
  const std::string empty_gz = gzip_with(GzipEngine::zlib, "", 6, 1);
  for (GzipEngine engine : ops::detail::gzip_engines()) {
    INFO(ops::detail::gzip_engine_name(engine));
    auto whole = [&](std::string_view packed, std::size_t room) {
      std::string out(room, '\0');
      auto n = ops::detail::gunzip_whole(engine, packed, out, "t.gz");
      if (n) out.resize(*n);
      return std::pair{n, out};
    };
    auto [n, out] = whole(gz, log.size());
    CHECK(n == log.size());
    CHECK(same_bytes(out, log));
    // Room to spare: the size it decodes to.
    CHECK(whole(gz, log.size() + 100).first == log.size());
    // One byte short: longer than the room.
    CHECK_FALSE(whole(gz, log.size() - 1).first.has_value());
    // Two members, as `cat a.gz b.gz`; an empty member; nothing at all.
    auto [n2, out2] = whole(gz + empty_gz + gz, 2 * log.size());
    CHECK(n2 == 2 * log.size());
    CHECK(same_bytes(out2, log + log));
    CHECK(whole(empty_gz, 0).first == std::size_t{0});
    CHECK_THROWS_WITH(whole("", 10), Catch::Contains("t.gz"));
    // Cut short, a bit flipped in the data, a CRC-32 that does not match.
    CHECK_THROWS_WITH(whole(std::string_view(gz).substr(0, gz.size() / 2), log.size()), Catch::Contains("t.gz"));
    std::string flipped = gz;
    flipped[gz.size() / 2] = static_cast<char>(flipped[gz.size() / 2] ^ 0x10);
    CHECK_THROWS(whole(flipped, log.size() + 1000));
    std::string bad_crc = gz;
    bad_crc[gz.size() - 8] = static_cast<char>(bad_crc[gz.size() - 8] ^ 1);
    CHECK_THROWS_WITH(whole(bad_crc, log.size()), Catch::Contains("t.gz"));
    // Bytes after the last member that are no member.
    CHECK_THROWS(whole(gz + "garbage!", log.size() + 100));
  }
}

// inflate_whole: one raw deflate stream, as the check in parts gives it each
// part, by each engine's inflate.
TEST_CASE("gzip engines: inflate_whole reads one raw stream to its end, and nothing after it") {
  const std::string log = access_log_like(2 * MiB + 5);
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string raw(log.size() + 4096, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(log.data()));
  z.avail_in = static_cast<uInt>(log.size());
  z.next_out = reinterpret_cast<Bytef*>(raw.data());
  z.avail_out = static_cast<uInt>(raw.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  raw.resize(raw.size() - z.avail_out);
  deflateEnd(&z);
  for (GzipEngine engine : ops::detail::gzip_engines()) {
    INFO(ops::detail::gzip_engine_name(engine));
    std::string out(log.size() + 1, '\0');
    CHECK(ops::detail::inflate_whole(engine, raw, out, "part") == log.size());
    CHECK(same_bytes(out.substr(0, log.size()), log));
    CHECK_FALSE(ops::detail::inflate_whole(engine, raw, std::span<char>(out.data(), log.size() - 1), "part"));
    CHECK_THROWS_WITH(ops::detail::inflate_whole(engine, raw + "x", out, "part"), Catch::Contains("part"));
    CHECK_THROWS_WITH(ops::detail::inflate_whole(engine, std::string_view(raw).substr(0, raw.size() / 2), out, "part"),
                      Catch::Contains("part"));
  }
}
