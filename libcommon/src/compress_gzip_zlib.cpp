// The gzip writer's blocks deflated by zlib, as pigz does: each block primed
// with the last 32 KiB of the block before it (so the ratio stays gzip's) and
// ended with a sync flush (an empty stored block that ends on a byte
// boundary), the last one with the final block. The portable engine: every
// build has it, and it is the one used where libdeflate is not built in.
#include "compress_gzip_block.hpp"

#include <ops/error.hpp>

#include <string>
#include <string_view>
#include <zlib.h>

namespace ops::detail {

namespace {

const Bytef* bytes(std::string_view s) { return reinterpret_cast<const Bytef*>(s.data()); }

// One raw deflate stream, reset for each block. Not movable: zlib's state
// points back at the z_stream.
class ZlibDeflater final : public BlockDeflater {
 public:
  explicit ZlibDeflater(int level) {
    int rc = deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) fail(std::string("gzip compression failed: ") + zError(rc));
  }
  ~ZlibDeflater() override { deflateEnd(&z_); }
  ZlibDeflater(const ZlibDeflater&) = delete;
  ZlibDeflater& operator=(const ZlibDeflater&) = delete;

  void deflate(GzipBlock& block) override {
    block.crc = static_cast<std::uint32_t>(crc32_z(crc32(0, nullptr, 0), bytes(block.in), block.in.size()));
    check(deflateReset(&z_));
    if (!block.dictionary.empty())
      check(deflateSetDictionary(&z_, bytes(block.dictionary), static_cast<uInt>(block.dictionary.size())));
    z_.next_in = const_cast<Bytef*>(bytes(block.in));
    z_.avail_in = static_cast<uInt>(block.in.size());
    block.out.resize(deflateBound(&z_, block.in.size()) + 64);
    std::size_t have = 0;
    int flush = block.last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      if (have == block.out.size()) block.out.resize(block.out.size() * 2);
      z_.next_out = reinterpret_cast<Bytef*>(block.out.data() + have);
      z_.avail_out = static_cast<uInt>(block.out.size() - have);
      int rc = ::deflate(&z_, flush);
      have = block.out.size() - z_.avail_out;
      if (rc == Z_STREAM_END) break;
      if (rc == Z_BUF_ERROR && !block.last) break;  // nothing was left to flush
      check(rc);
      if (!block.last && z_.avail_out != 0) break;  // the sync flush is complete
    }
    block.out.erase(have);  // (not resize: g++ 12 -O2 warns of a memset it cannot bound)
  }

 private:
  void check(int rc) {
    if (rc != Z_OK) fail(std::string("gzip compression failed: ") + (z_.msg ? z_.msg : zError(rc)));
  }

  z_stream z_{};
};

}  // namespace

std::unique_ptr<BlockDeflater> make_zlib_block_deflater(int level) { return std::make_unique<ZlibDeflater>(level); }

}  // namespace ops::detail
