// deflate_codecs — one core, one input: zlib, ISA-L (igzip) and libdeflate at
// each level, cut the way libcommon's gzip writer cuts them. zlib and ISA-L:
// 128 KiB blocks, each primed with the previous 32 KiB, ended with a sync
// flush. libdeflate (no dictionary, always a final block): 1 MiB blocks, each
// scanned for its last block by libcommon's find_final_block, as
// compress_gzip_libdeflate.cpp does ("+scan"), or walked with zlib's
// inflate(Z_BLOCK), as it did before ("+walk": zlib's gzjoin way); and one
// whole buffer, its best case.
// Prints MB/s of input per second of this thread's CPU time (the machine is
// shared: wall time would measure the neighbours), best of 3, and the size.
// Built and run by scripts/bench/compression.sh.
#include "deflate_scan.hpp"  // libcommon/src: linked with libcommon by compression.sh

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <sstream>
#include <string>
#include <vector>
#include <zlib.h>

namespace {

// CPU time of this thread: the box is shared, wall time would measure the neighbours.
double cpu_now() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

constexpr std::size_t block = 128 * 1024, window = 32 * 1024;

std::size_t zlib_blocks(const std::string& in, int level) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::vector<unsigned char> out(deflateBound(&z, block) + 64);
  std::size_t total = 0;
  for (std::size_t at = 0; at < in.size(); at += block) {
    std::size_t n = std::min(block, in.size() - at);
    deflateReset(&z);
    if (at) deflateSetDictionary(&z, (const Bytef*)in.data() + at - window, window);
    z.next_in = (Bytef*)in.data() + at;
    z.avail_in = n;
    z.next_out = out.data();
    z.avail_out = out.size();
    deflate(&z, at + n == in.size() ? Z_FINISH : Z_SYNC_FLUSH);
    total += out.size() - z.avail_out;
  }
  deflateEnd(&z);
  return total;
}

std::size_t isal_blocks(const std::string& in, int level) {
  static const unsigned sizes[] = {ISAL_DEF_LVL0_DEFAULT, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT,
                                   ISAL_DEF_LVL3_DEFAULT};
  std::vector<unsigned char> level_buf(sizes[level] + 1);
  std::vector<unsigned char> out(block * 2 + 1024);
  isal_zstream s;
  isal_deflate_init(&s);
  std::size_t total = 0;
  for (std::size_t at = 0; at < in.size(); at += block) {
    std::size_t n = std::min(block, in.size() - at);
    isal_deflate_reset(&s);
    s.level = level;
    s.level_buf = level_buf.data();
    s.level_buf_size = sizes[level];
    s.gzip_flag = IGZIP_DEFLATE;
    if (at) isal_deflate_set_dict(&s, (uint8_t*)in.data() + at - window, window);
    s.next_in = (uint8_t*)in.data() + at;
    s.avail_in = n;
    s.next_out = out.data();
    s.avail_out = out.size();
    s.end_of_stream = at + n == in.size();
    s.flush = s.end_of_stream ? NO_FLUSH : SYNC_FLUSH;
    if (isal_deflate(&s) != COMP_OK || s.avail_in) std::abort();
    total += out.size() - s.avail_out;
  }
  return total;
}

std::size_t libdeflate_blocks(const std::string& in, int level, std::size_t piece) {
  auto* c = libdeflate_alloc_compressor(level);
  std::vector<unsigned char> out(libdeflate_deflate_compress_bound(c, piece));
  std::size_t total = 0;
  for (std::size_t at = 0; at < in.size(); at += piece) {
    std::size_t n = std::min(piece, in.size() - at);
    total += libdeflate_deflate_compress(c, in.data() + at, n, out.data(), out.size());
  }
  libdeflate_free_compressor(c);
  return total;
}

// Finds, with zlib's inflate(Z_BLOCK), the bit where the last block's header
// starts and the bit where the stream ends (the gzjoin technique).
std::size_t walk_last_block(const unsigned char* data, std::size_t n) {
  z_stream z{};
  inflateInit2(&z, -15);
  static std::vector<unsigned char> sink(1 << 20);
  z.next_in = (Bytef*)data;
  z.avail_in = n;
  std::size_t last_header_bit = 0;
  for (;;) {
    z.next_out = sink.data();
    z.avail_out = sink.size();
    int rc = inflate(&z, Z_BLOCK);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) std::abort();
    if ((z.data_type & 128) && !(z.data_type & 64))  // at a block boundary, before a header
      last_header_bit = (n - z.avail_in) * 8 - (z.data_type & 7);
  }
  inflateEnd(&z);
  return last_header_bit;
}

std::size_t libdeflate_walk(const std::string& in, int level, std::size_t piece) {
  auto* c = libdeflate_alloc_compressor(level);
  std::vector<unsigned char> out(libdeflate_deflate_compress_bound(c, piece));
  std::size_t total = 0, x = 0;
  for (std::size_t at = 0; at < in.size(); at += piece) {
    std::size_t n = std::min(piece, in.size() - at);
    std::size_t m = libdeflate_deflate_compress(c, in.data() + at, n, out.data(), out.size());
    x += walk_last_block(out.data(), m);
    total += m;
  }
  libdeflate_free_compressor(c);
  return total + (x & 0);
}

std::size_t libdeflate_scan(const std::string& in, int level, std::size_t piece) {
  auto* c = libdeflate_alloc_compressor(level);
  std::string out(libdeflate_deflate_compress_bound(c, piece), '\0');
  std::size_t total = 0, x = 0;
  for (std::size_t at = 0; at < in.size(); at += piece) {
    std::size_t n = std::min(piece, in.size() - at);
    std::size_t m = libdeflate_deflate_compress(c, in.data() + at, n, out.data(), out.size());
    x += ops::detail::find_final_block(std::string_view(out.data(), m)).last_header;
    total += m;
  }
  libdeflate_free_compressor(c);
  return total + (x & 0);
}

void row(const char* file, const char* codec, int level, const std::string& in, const std::function<std::size_t()>& f) {
  double best = 1e9;
  std::size_t size = 0;
  for (int i = 0; i < 3; ++i) {  // the best of 3: the machine is shared
    auto t0 = cpu_now();
    size = f();
    best = std::min(best, (cpu_now() - t0));
  }
  std::printf("%s\t%s\t%d\t%.1f\t%zu\n", file, codec, level, in.size() / best / 1e6, size);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::printf("input\tcodec\tlevel\tMB/s\tbytes\n");
  for (int a = 1; a < argc; ++a) {
    std::ifstream f(argv[a], std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string in = ss.str();
    const char* name = std::strrchr(argv[a], '/') ? std::strrchr(argv[a], '/') + 1 : argv[a];
    for (int l = 1; l <= 9; ++l) row(name, "zlib-blocks", l, in, [&] { return zlib_blocks(in, l); });
    for (int l = 0; l <= 3; ++l) row(name, "isal-blocks", l, in, [&] { return isal_blocks(in, l); });
    for (int l = 1; l <= 9; ++l) row(name, "libdeflate-1m+walk", l, in, [&] { return libdeflate_walk(in, l, 1 << 20); });
    for (int l = 1; l <= 9; ++l)
      row(name, "libdeflate-1m+scan", l, in, [&] { return libdeflate_scan(in, l, 1 << 20); });
    for (int l : {5, 6}) row(name, "libdeflate-whole", l, in, [&] { return libdeflate_blocks(in, l, in.size()); });
  }
}
