#pragma once
// The pure rules of `opsarchive files`: which names are compressed already,
// which are our own temporary files, what --match selects, and how an
// --into-tar PATH is expanded and named inside.

#include <ops/clock.hpp>
#include <ops/compress.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsarchive {

// ".gz", ".tgz", ".zip" …: the file is compressed or an archive already, so it
// is never compressed again (only expired). Case-insensitive.
bool has_compressed_suffix(std::string_view name);
// The name without one such suffix ("app.log.gz" → "app.log"); unchanged otherwise.
std::string_view strip_compressed_suffix(std::string_view name);
// From a file's first bytes: gzip, zstd, xz, bzip2, lz4, zip or 7z magic.
bool looks_compressed(std::string_view head);

// Temporary files are ops::TempFile's with the tag "opsarchive"
// (".FINAL.opsarchive-tmp.XXXXXX") in the final file's directory: hidden from
// `ls` and from globs like *.gz, recognisable by a later run when a crash
// left one behind, and apart from every other program's temporaries (the
// DIRs we walk are not ours alone).
inline constexpr std::string_view temp_tag = "opsarchive";
std::string temp_prefix(std::string_view final_name);
bool is_temp_name(std::string_view name);

// --match: no glob selects every name; otherwise a file is selected when a
// glob (fnmatch, no flags) matches its name or its name without a
// compressed suffix, so `--match '*.log'` also expires app.log.gz.
bool name_matches(const std::vector<std::string>& globs, std::string_view name);

// strftime's %-escapes in an --into-tar PATH, expanded with the cut-off
// (local time, as logrotate's dateext). A literal % is written %%.
std::string expand_tar_path(const std::string& pattern, ops::SysTime cutoff);
// The name part of an --into-tar PATH with every %-escape as "*": the glob of
// the archives earlier runs made, which are never collected into a new one.
std::string tar_name_glob(std::string_view pattern_name);
// The compression an archive name asks for: .tar (none), .tar.gz/.tgz,
// .tar.zst/.tzst, .tar.xz/.txz; nullopt for any other name.
std::optional<ops::Compression> tar_compression(std::string_view name);

// A file's name inside the tar: its path relative to its DIR, prefixed with
// the DIR's own name when several DIRs go into one archive.
std::string member_name(std::string_view dir_name, std::string_view relative, bool several_dirs);

}  // namespace opsarchive
