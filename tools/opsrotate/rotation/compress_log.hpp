#pragma once
// Compressing a rotated log: in-process and multi-threaded (ops::Compressor)
// for gzip, zstd and xz at the level compressoptions asks for (gzip -6 by
// default, as logrotate), or through compresscmd when it names another
// program or options we do not model. ops::compress_in_place does the rest:
// the result keeps the log's mode, owner and mtime, is verified, fsynced and
// published (never over an existing file) before the plain file goes.

#include "opsrotate/config/log_config.hpp"

#include <cstdint>
#include <filesystem>
#include <utility>

namespace opsrotate {

// Returns (plain bytes, compressed bytes). An existing `packed`, or a plain
// file that changes meanwhile, is an error that leaves both as they are.
std::pair<std::uint64_t, std::uint64_t> compress_log(const std::filesystem::path& plain,
                                                     const std::filesystem::path& packed, const LogConfig& config);

}  // namespace opsrotate
