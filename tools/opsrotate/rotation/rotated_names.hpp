#pragma once
// The names logrotate gives rotated logs, and finding the ones that exist:
//   numbered   app.log.1, app.log.2.gz          (olddir: OLDDIR/app.log.1)
//   extension  app.1.log.gz                     (`extension .log`)
//   dated      app.log-20261124, app.log-2026112413 (hourly)
// A dated name already taken gets ".1", ".2" after the date (logrotate
// skips the rotation instead).

#include "opsrotate/config/log_config.hpp"
#include "opsrotate/rotation/dir_listing.hpp"

#include <ops/clock.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace opsrotate {

struct RotationNames {
  std::filesystem::path dir;  // where rotations go: olddir or the log's directory
  std::string base;           // the log's file name without the kept extension
  std::string ext;            // the kept extension (".log") or ""
  std::string compext;        // ".gz" etc. when compress is on, else ""
};

RotationNames rotation_names(const LogConfig& config, const std::filesystem::path& log);

// The compression extension: compressext (which a known compresscmd sets), else ".gz".
std::string compression_ext(const LogConfig& config);

// DIR/BASE.N EXT [COMPEXT].
std::filesystem::path numbered_name(const RotationNames& names, int n, bool compressed);

// The date part of a dated rotation made at `now` ("-20261124").
std::string date_suffix(const LogConfig& config, ops::SysTime now);

// A free dated name for a rotation at `now`: DIR/BASE SUFFIX EXT, with ".1",
// ".2"… after the suffix when it (or its compressed form) already exists.
std::filesystem::path dated_name(const LogConfig& config, const RotationNames& names, ops::SysTime now);

// Existing dated rotations of this log, oldest first (by date, then by the
// ".N" of same-date ones), compressed or not.
std::vector<std::filesystem::path> dated_rotations(const LogConfig& config, const RotationNames& names,
                                                  DirListings& listings);

// Whether a file name looks like an already rotated log (`app.log.1`,
// `app.log.2.gz`, `app.log-20261124`, `*.gz`), so globs never pick it up.
bool looks_rotated(const std::string& file_name);

// text with the characters of ECMAScript regular expressions escaped.
std::string regex_escape(const std::string& text);

// The words of a command line from the configuration ("xz -T0 -3"), split on
// blanks as logrotate splits compressoptions (no quoting).
std::vector<std::string> split_words(const std::string& text);

}  // namespace opsrotate
