#pragma once
// Reading a files backup's archive: our own decompressor (which checks the
// gzip/zstd/xz checksums and notices truncation) feeds libarchive's tar
// reader through a pipe, from a second thread, so the archive is read in
// one pass whatever its size.

#include <ops/archive.hpp>

#include <ops/compress.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>

namespace ops {

// Calls `consume` with a libarchive reader (tar formats) open on the plain
// archive of `data`. Returns the number of plain bytes the decompressor
// produced. Throws ops::Error (critical) for a corrupt or truncated
// compressed stream, and passes on whatever `consume` throws.
std::uint64_t read_tar(const std::filesystem::path& data, Compression compression,
                       const std::function<void(archive*)>& consume);

}  // namespace ops
