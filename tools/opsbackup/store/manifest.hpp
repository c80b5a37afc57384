#pragma once
// The manifest: what a backup is, written as JSON next to it, last. A backup
// whose manifest is missing does not exist (it is a leftover of a crash).
// Verification results are recorded in it later, again atomically. The format
// and its reading are libcommon's (ops/backup_manifest.hpp), shared with
// opshealth; writing the file is opsbackup's alone.

#include <ops/backup_manifest.hpp>
#include <ops/fs.hpp>

#include <filesystem>

namespace opsbackup {

using ops::backup::Manifest;
using ops::backup::parse_manifest;
using ops::backup::read_manifest;
using ops::backup::TableCount;
using ops::backup::Verification;

// Written atomically, mode 0600. A new backup's manifest never replaces one
// (Replace::no); a verification updates its backup's (Replace::yes).
void write_manifest(const std::filesystem::path& path, const Manifest& m,
                    ops::AtomicFile::Replace replace = ops::AtomicFile::Replace::yes);

}  // namespace opsbackup
