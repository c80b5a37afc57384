// gunzip_whole by libdeflate, about three times zlib's inflate: libdeflate
// decodes a whole member from one buffer into another, and checks its CRC-32
// and length as zlib does. Compiled only with OPS_FAST_GZIP.
#include "compress_codec.hpp"
#include "compress_gzip_block.hpp"

#include <ops/error.hpp>
#include <ops/handle.hpp>

#include <libdeflate.h>

namespace ops::detail {

std::optional<std::size_t> gunzip_whole_libdeflate(std::string_view packed, std::span<char> out,
                                                   const std::string& what) {
  Handle<libdeflate_decompressor, libdeflate_free_decompressor> inflater{libdeflate_alloc_decompressor()};
  if (!inflater) fail(what + ": gzip decompression failed: out of memory");
  if (packed.empty()) fail_truncated(what);
  char spare;  // somewhere to point when `out` is empty
  std::size_t used = 0;
  std::size_t produced = 0;
  while (used < packed.size()) {  // member after member, as `cat a.gz b.gz`
    std::size_t in_used = 0;
    std::size_t wrote = 0;
    const libdeflate_result rc = libdeflate_gzip_decompress_ex(
        inflater.get(), packed.data() + used, packed.size() - used,
        out.size() == produced ? &spare : out.data() + produced, out.size() - produced, &in_used, &wrote);
    if (rc == LIBDEFLATE_INSUFFICIENT_SPACE) return std::nullopt;
    // libdeflate does not tell a cut-off member from a damaged one.
    if (rc != LIBDEFLATE_SUCCESS) fail_corrupt(what, "gzip", "truncated, or not what its CRC-32 and length say");
    used += in_used;
    produced += wrote;
  }
  return produced;
}

std::optional<std::size_t> inflate_whole_libdeflate(std::string_view raw, std::span<char> out,
                                                    const std::string& what) {
  Handle<libdeflate_decompressor, libdeflate_free_decompressor> inflater{libdeflate_alloc_decompressor()};
  if (!inflater) fail(what + ": deflate decompression failed: out of memory");
  char spare;
  std::size_t used = 0;
  std::size_t wrote = 0;
  const libdeflate_result rc = libdeflate_deflate_decompress_ex(
      inflater.get(), raw.data(), raw.size(), out.empty() ? &spare : out.data(), out.size(), &used, &wrote);
  if (rc == LIBDEFLATE_INSUFFICIENT_SPACE) return std::nullopt;
  if (rc != LIBDEFLATE_SUCCESS) fail_corrupt(what, "gzip", "a part does not inflate");
  if (used != raw.size()) fail_corrupt(what, "gzip", "a part has bytes after its end");
  return wrote;
}

std::uint32_t crc32_libdeflate(std::uint32_t crc, std::string_view data) noexcept {
  return libdeflate_crc32(crc, data.data(), data.size());
}

}  // namespace ops::detail
