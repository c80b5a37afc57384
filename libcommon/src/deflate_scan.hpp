#pragma once
// Where a raw deflate stream's final block starts and where it ends, found by
// reading its Huffman codes without producing its output: what the libdeflate
// gzip engine needs to join its streams into one (compress_gzip_libdeflate.cpp),
// about three times faster than inflating with zlib to learn the same.
// Internal to libcommon.

#include <cstddef>
#include <string_view>

namespace ops::detail {

struct DeflateEnd {
  std::size_t last_header = 0;  // the bit at which the final block's header starts
  std::size_t end = 0;          // the bit just after the final block
};

// `stream` holds exactly one raw deflate stream (RFC 1951), its end in its
// last byte. Anything else (cut short, bytes after the end, codes no deflate
// stream has) throws ops::Error; never reads outside `stream`.
DeflateEnd find_final_block(std::string_view stream);

}  // namespace ops::detail
