// zstd both ways through libzstd's streaming API. Compression uses the
// library's own worker threads and writes a content checksum, so that
// decompression (and `zstd -t`) catches corruption, as with gzip and xz.
#include "compress_codec.hpp"

#include <ops/error.hpp>
#include <ops/handle.hpp>

#include <zstd.h>

namespace ops::detail {

namespace {

std::size_t check_compress(std::size_t rc) {
  if (ZSTD_isError(rc)) fail(std::string("zstd compression failed: ") + ZSTD_getErrorName(rc));
  return rc;
}

class ZstdEncoder final : public Encoder {
 public:
  ZstdEncoder(int level, unsigned threads, ByteSink sink)
      : sink_(std::move(sink)), ctx_(ZSTD_createCCtx()), out_(ZSTD_CStreamOutSize(), '\0') {
    if (!ctx_) fail("zstd compression failed: out of memory");
    check_compress(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_compressionLevel, level));
    check_compress(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_checksumFlag, 1));
    if (threads > 1)
      check_compress(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_nbWorkers, static_cast<int>(threads)));
  }

  void write(std::string_view data) override {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (in.pos < in.size) step(in, ZSTD_e_continue);
  }

  void finish() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    while (step(in, ZSTD_e_end) != 0) {
    }
  }

 private:
  // One call of the library; returns what it still has to flush (for ZSTD_e_end).
  std::size_t step(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    std::size_t remaining = check_compress(ZSTD_compressStream2(ctx_.get(), &out, &in, mode));
    if (out.pos != 0) sink_(std::string_view(out_.data(), out.pos));
    return remaining;
  }

  ByteSink sink_;
  Handle<ZSTD_CCtx, ZSTD_freeCCtx> ctx_;
  std::string out_;
};

}  // namespace

std::unique_ptr<Encoder> make_zstd_encoder(int level, unsigned threads, ByteSink sink) {
  return std::make_unique<ZstdEncoder>(level, threads, std::move(sink));
}

std::uint64_t decode_zstd(const ChunkSource& next, const std::string& what, const ByteSink& sink) {
  Handle<ZSTD_DCtx, ZSTD_freeDCtx> ctx(ZSTD_createDCtx());
  if (!ctx) fail(what + ": zstd decompression failed: out of memory");
  std::string buffer(ZSTD_DStreamOutSize(), '\0');
  std::uint64_t total = 0;
  // ZSTD_decompressStream returns 0 when it has just completed a frame; a call
  // that made no progress (checking for more output) says nothing about that.
  std::size_t frame_open = 1;
  for (std::string_view chunk = next(); !chunk.empty(); chunk = next()) {
    ZSTD_inBuffer in{chunk.data(), chunk.size(), 0};
    ZSTD_outBuffer out{};
    do {
      out = ZSTD_outBuffer{buffer.data(), buffer.size(), 0};
      std::size_t consumed = in.pos;
      std::size_t rc = ZSTD_decompressStream(ctx.get(), &out, &in);
      if (ZSTD_isError(rc)) fail_corrupt(what, "zstd", ZSTD_getErrorName(rc));
      if (in.pos != consumed || out.pos != 0) frame_open = rc;
      if (out.pos != 0) sink(std::string_view(buffer.data(), out.pos));
      total += out.pos;
    } while (in.pos < in.size || out.pos == out.size);
  }
  if (frame_open != 0) fail_truncated(what);
  return total;
}

}  // namespace ops::detail
