// find_final_block, the scan the libdeflate gzip engine joins its streams by,
// against zlib's own inflate(Z_BLOCK) walk on streams of every block type and
// many shapes; and on damaged streams it throws, never reads past the end.
#include "../../libcommon/src/deflate_scan.hpp"  // private to libcommon

#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"

#include <random>
#include <string>
#include <vector>
#include <zlib.h>

using ops::detail::DeflateEnd;
using ops::detail::find_final_block;
using ops::test::access_log_like;
using ops::test::dump_like;

namespace {

struct Shape {
  int level = 6;
  int strategy = Z_DEFAULT_STRATEGY;
  std::size_t flush_every = 0;  // a Z_SYNC_FLUSH (an empty stored block) after each this many bytes
};

std::string raw_deflate(std::string_view in, const Shape& shape) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, shape.level, Z_DEFLATED, -15, 8, shape.strategy) == Z_OK);
  // Fixed codes on random bytes and many flushes outgrow deflateBound.
  std::string out(2 * in.size() + 1024, '\0');
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  std::size_t step = shape.flush_every ? shape.flush_every : in.size();
  std::size_t at = 0;
  do {
    std::size_t n = std::min(step, in.size() - at);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + at));
    z.avail_in = static_cast<uInt>(n);
    at += n;
    REQUIRE(deflate(&z, at == in.size() ? Z_FINISH : Z_SYNC_FLUSH) == (at == in.size() ? Z_STREAM_END : Z_OK));
  } while (at < in.size());
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

// What zlib says: inflate(Z_BLOCK) stops at each block boundary.
DeflateEnd zlib_walk(const std::string& stream) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, -15) == Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stream.data()));
  z.avail_in = static_cast<uInt>(stream.size());
  std::string scratch(1 << 16, '\0');
  auto bit = [&] { return (stream.size() - z.avail_in) * 8 - (z.data_type & 7); };
  DeflateEnd found;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(scratch.data());
    z.avail_out = static_cast<uInt>(scratch.size());
    int rc = inflate(&z, Z_BLOCK);
    if (rc == Z_STREAM_END) break;
    REQUIRE((rc == Z_OK || (rc == Z_BUF_ERROR && z.avail_out == 0)));
    if ((z.data_type & 128) != 0) ((z.data_type & 64) != 0 ? found.end : found.last_header) = bit();
  }
  inflateEnd(&z);
  return found;
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

}  // namespace

TEST_CASE("deflate scan: the final block where zlib finds it, for every block type") {
  const std::vector<std::string> inputs = {"",
                                           "x",
                                           access_log_like(300 * 1024),
                                           dump_like(700 * 1024, 5),
                                           random_bytes(200 * 1024, 3),
                                           std::string(150 * 1024, 'a'),
                                           access_log_like(64 * 1024) + random_bytes(64 * 1024, 4)};
  const std::vector<Shape> shapes = {
      {6, Z_DEFAULT_STRATEGY, 0}, {1, Z_DEFAULT_STRATEGY, 0}, {9, Z_DEFAULT_STRATEGY, 0},
      {0, Z_DEFAULT_STRATEGY, 0},  // stored blocks only
      {6, Z_FIXED, 0},             // fixed Huffman codes
      {6, Z_HUFFMAN_ONLY, 0},      // literals only: no distance code in use
      {6, Z_RLE, 0},               // distance 1 only: a one-code distance table
      {6, Z_DEFAULT_STRATEGY, 10000},  // empty stored blocks between
      {6, Z_FIXED, 777},
  };
  for (const auto& shape : shapes)
    for (const auto& in : inputs) {
      INFO("level " << shape.level << ", strategy " << shape.strategy << ", flush every " << shape.flush_every
                    << ", " << in.size() << " bytes");
      const std::string stream = raw_deflate(in, shape);
      const DeflateEnd want = zlib_walk(stream);
      const DeflateEnd got = find_final_block(stream);
      CHECK(got.last_header == want.last_header);
      CHECK(got.end == want.end);
    }
}

TEST_CASE("deflate scan: a stream cut short, with bytes after it, or damaged throws") {
  const std::string stream = raw_deflate(access_log_like(20 * 1024), {});
  for (std::size_t n = 0; n < stream.size(); ++n) {
    INFO(n << " of " << stream.size() << " bytes");
    CHECK_THROWS_AS(find_final_block(std::string_view(stream).substr(0, n)), ops::Error);
  }
  CHECK_THROWS_WITH(find_final_block(stream + "x"), Catch::Contains("after the final block"));
  const std::string stored = raw_deflate(random_bytes(1000, 1), {0, Z_DEFAULT_STRATEGY, 0});
  std::string bad_length = stored;
  bad_length[3] = static_cast<char>(bad_length[3] ^ 1);  // NLEN no longer LEN's complement
  CHECK_THROWS_WITH(find_final_block(bad_length), Catch::Contains("complement"));
  CHECK_THROWS_WITH(find_final_block(std::string("\x07", 1)), Catch::Contains("reserved"));
  // Bytes at random: an error or, by chance, a short stream; never a crash
  // (the sanitizers watch).
  for (unsigned seed = 0; seed < 2000; ++seed) {
    std::string junk = random_bytes(1 + seed % 300, seed);
    try {
      DeflateEnd e = find_final_block(junk);
      CHECK(e.end <= junk.size() * 8);
      CHECK(e.last_header < e.end);
    } catch (const ops::Error&) {
    }
  }
}
