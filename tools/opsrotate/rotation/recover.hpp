#pragma once
// What a run killed halfway leaves behind, tidied before the next rotation of
// the same log: temporary files of an unfinished compression or create
// (ops/dir.hpp's temporaries, e.g. ".app.log.1.gz.tmp.XXXXXX"), and a plain
// rotation whose compressed copy was already published (the crash fell
// between the rename of the .gz and the removal of the plain file — removed
// only when the .gz decompresses to exactly its bytes). Nothing that holds
// the only copy of a line is ever removed.

#include "opsrotate/config/log_config.hpp"
#include "opsrotate/rotation/dir_listing.hpp"

#include <filesystem>

namespace opsrotate {

// The names are looked up in listings, which learn what is removed.
void recover_leftovers(const LogConfig& config, const std::filesystem::path& log, DirListings& listings);

}  // namespace opsrotate
