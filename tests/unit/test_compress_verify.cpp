// The check compress_in_place makes before it removes a plain file: the gzip
// writer's restart points, and the check in parts at once that they allow,
// which must say no wherever a check of the whole member says no.
#include "../../libcommon/src/compress_codec.hpp"  // private to libcommon

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "support.hpp"

#include <fcntl.h>
#include <string>
#include <vector>

using ops::Compressor;
using ops::test::access_log_like;
using ops::test::TempDir;

namespace {

constexpr std::size_t MiB = 1024 * 1024;

struct Packed {
  std::string bytes;
  std::vector<Compressor::RestartPoint> restarts;
};

Packed pack(const std::string& plain, ops::Compression format = ops::Compression::gzip, unsigned threads = 2) {
  Packed p;
  Compressor c({format, -1, threads}, [&](std::string_view d) { p.bytes.append(d); });
  c.write(plain);
  c.finish();
  p.restarts = c.restart_points();
  return p;
}

bool libdeflate_first() { return ops::detail::gzip_engines().front() == ops::detail::GzipEngine::libdeflate; }

}  // namespace

TEST_CASE("compress verify: the gzip writer's restart points, where its engine has them") {
  const std::string log = access_log_like(5 * MiB + 123);
  Packed p = pack(log);
  if (!libdeflate_first()) {
    CHECK(p.restarts.empty());  // zlib's blocks carry the previous block's 32 KiB
    return;
  }
  REQUIRE(p.restarts.size() == 5);  // one per 1 MiB block after the first
  std::uint64_t packed = 10, plain = 0;
  for (const auto& r : p.restarts) {
    CHECK(r.packed > packed);
    CHECK(r.plain == plain + MiB);
    packed = r.packed;
    plain = r.plain;
  }
  CHECK(packed < p.bytes.size() - 8);
  CHECK(pack(log, ops::Compression::zstd).restarts.empty());
  CHECK(pack(log, ops::Compression::gzip, 1).restarts.size() == 5);  // the same blocks on one thread
}

TEST_CASE("compress verify: in parts, a good file passes and every damage fails as checked whole") {
  TempDir t;
  const std::string log = access_log_like(6 * MiB + 7);
  t.write("log", log);
  const Packed good = pack(log);
  ops::Fd plain = ops::open_file(t.path() / "log", O_RDONLY);
  // in_parts: with the restart points on 2 threads; whole: without them.
  auto verdict = [&](const std::string& bytes, const std::vector<Compressor::RestartPoint>& restarts,
                     unsigned threads) -> std::string {
    t.write("log.gz", bytes);
    ops::Fd packed = ops::open_file(t.path() / "log.gz", O_RDONLY);
    try {
      return ops::detail::decompresses_to_plain(packed.get(), "log.gz", plain.get(), "log", restarts, threads)
                 ? "same"
                 : "different";
    } catch (const ops::Error&) {
      return "corrupt";
    }
  };
  auto both = [&](const std::string& bytes) {
    const std::string in_parts = verdict(bytes, good.restarts, 2);
    const std::string whole = verdict(bytes, {}, 1);
    INFO("in parts: " << in_parts << ", whole: " << whole);
    CHECK((in_parts == "same") == (whole == "same"));
    return in_parts;
  };
  CHECK(both(good.bytes) == "same");
  CHECK(verdict(good.bytes, good.restarts, 3) == "same");
  // Another file's member, one byte more or less of plain text.
  CHECK(both(pack(log + "x").bytes) != "same");
  CHECK(both(pack(log.substr(0, log.size() - 1)).bytes) != "same");
  std::string changed = log;
  changed[5 * MiB] = '#';  // in the second half
  CHECK(both(pack(changed).bytes) != "same");
  changed = log;
  changed[100] = '#';  // in the first half
  CHECK(both(pack(changed).bytes) != "same");
  // Damage to the compressed bytes: in either half, the CRC-32, the length.
  for (std::size_t at : {good.bytes.size() / 4, good.bytes.size() * 3 / 4, good.bytes.size() - 8,
                         good.bytes.size() - 3}) {
    INFO("byte " << at << " of " << good.bytes.size());
    std::string bad = good.bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x20);
    CHECK(both(bad) != "same");
  }
  CHECK(both(good.bytes.substr(0, good.bytes.size() - 1)) != "same");
  CHECK(both(good.bytes + good.bytes) != "same");  // two members: twice the text
  // Restart points that are not where the writer cut: never "same" by mistake.
  if (!good.restarts.empty()) {
    std::vector<Compressor::RestartPoint> wrong = good.restarts;
    for (auto& r : wrong) r.packed += 1;
    CHECK(verdict(good.bytes, wrong, 2) != "same");
    wrong = good.restarts;
    for (auto& r : wrong) r.plain += 1;
    CHECK(verdict(good.bytes, wrong, 2) != "same");
  }
}
