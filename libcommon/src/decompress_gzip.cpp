// gunzip through zlib: every member of the file in turn (`cat a.gz b.gz` is a
// valid gzip file), each checked against its CRC-32 and length by zlib.
#include "compress_codec.hpp"
#include "compress_gzip_block.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <climits>
#include <zlib.h>

namespace ops::detail {

namespace {

// An inflate stream (gzip unless told: -15 is raw deflate) that is always
// ended. Not movable: zlib's state points back at the z_stream.
class Inflater {
 public:
  explicit Inflater(const std::string& what, int window_bits = 15 + 16) {
    int rc = inflateInit2(&z_, window_bits);
    if (rc != Z_OK) fail(what + ": gzip decompression failed: " + zError(rc));
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  z_stream& get() noexcept { return z_; }

 private:
  z_stream z_{};
};

constexpr std::size_t buffer_size = 256 * 1024;

}  // namespace

std::uint64_t decode_gzip(const ChunkSource& next, const std::string& what, const ByteSink& sink) {
  Inflater inflater(what);
  z_stream& z = inflater.get();
  std::string buffer(buffer_size, '\0');
  std::uint64_t total = 0;
  bool in_member = false;
  std::string_view chunk = next();
  if (chunk.empty()) fail_truncated(what);
  for (;;) {
    if (chunk.empty()) {
      chunk = next();
      if (chunk.empty()) break;
    }
    if (!in_member) {
      inflateReset(&z);
      in_member = true;
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    z.avail_in = static_cast<uInt>(chunk.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      int rc = inflate(&z, Z_NO_FLUSH);
      std::size_t produced = buffer.size() - z.avail_out;
      if (produced != 0) sink(std::string_view(buffer.data(), produced));
      total += produced;
      if (rc == Z_STREAM_END) {
        in_member = false;
        break;
      }
      if (rc == Z_MEM_ERROR) fail(what + ": gzip decompression failed: out of memory");
      if (rc == Z_NEED_DICT) fail_corrupt(what, "gzip", "a preset dictionary is needed");
      if (rc != Z_OK && rc != Z_BUF_ERROR) fail_corrupt(what, "gzip", z.msg ? z.msg : zError(rc));
    } while (z.avail_in != 0 || z.avail_out == 0);
    chunk.remove_prefix(chunk.size() - z.avail_in);
  }
  if (in_member) fail_truncated(what);
  return total;
}

namespace {

// Inflates one stream (a gzip member, or raw deflate) from in[used...] into
// out[produced...] up to its end, advancing both. false: it decodes to more
// than `out` holds.
bool inflate_one(z_stream& z, std::string_view in, std::size_t& used, std::span<char> out, std::size_t& produced,
                 const std::string& what) {
  char spare;  // once `out` is full: a byte written here is one too many
  for (;;) {
    const std::size_t in_chunk = std::min<std::size_t>(in.size() - used, UINT_MAX);
    const bool full = produced == out.size();
    const std::size_t out_chunk = full ? 1 : std::min<std::size_t>(out.size() - produced, UINT_MAX);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + used));
    z.avail_in = static_cast<uInt>(in_chunk);
    z.next_out = reinterpret_cast<Bytef*>(full ? &spare : out.data() + produced);
    z.avail_out = static_cast<uInt>(out_chunk);
    const int rc = inflate(&z, Z_NO_FLUSH);
    used += in_chunk - z.avail_in;
    const std::size_t wrote = out_chunk - z.avail_out;
    if (full && wrote != 0) return false;
    if (!full) produced += wrote;
    if (rc == Z_STREAM_END) return true;
    if (rc == Z_MEM_ERROR) fail(what + ": gzip decompression failed: out of memory");
    if (rc == Z_NEED_DICT) fail_corrupt(what, "gzip", "a preset dictionary is needed");
    // No progress with room to write: the input ran out inside the stream.
    if (rc == Z_BUF_ERROR || (rc == Z_OK && used == in.size() && z.avail_out != 0)) fail_truncated(what);
    if (rc != Z_OK) fail_corrupt(what, "gzip", z.msg ? z.msg : zError(rc));
  }
}

}  // namespace

std::optional<std::size_t> gunzip_whole_zlib(std::string_view packed, std::span<char> out, const std::string& what) {
  Inflater inflater(what);
  if (packed.empty()) fail_truncated(what);
  std::size_t used = 0;      // bytes of `packed` inflated
  std::size_t produced = 0;  // bytes of `out` filled
  while (used < packed.size()) {
    inflateReset(&inflater.get());  // the next member
    if (!inflate_one(inflater.get(), packed, used, out, produced, what)) return std::nullopt;
  }
  return produced;
}

std::optional<std::size_t> inflate_whole_zlib(std::string_view raw, std::span<char> out, const std::string& what) {
  Inflater inflater(what, -15);
  std::size_t used = 0;
  std::size_t produced = 0;
  if (!inflate_one(inflater.get(), raw, used, out, produced, what)) return std::nullopt;
  if (used != raw.size()) fail_corrupt(what, "gzip", "a part has bytes after its end");
  return produced;
}

}  // namespace ops::detail
