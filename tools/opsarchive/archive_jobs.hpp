#pragma once
// The [archive.NAME] sections of ops.conf: what `opsarchive run` does. A
// section with `table` archives rows (its keys are the long options of
// `opsarchive rows` with '_' for '-': database, table, where, to_table,
// to_db, to_file, file_format, purge, create, batch, sleep, max_runtime,
// max_rows, limit_lag, replica, analyze, optimize, password_file); a section
// with `dir` ages files (dir, older_than, match, compress, level, into_tar,
// delete_older_than). Every section is read and checked before any runs.

#include "rows_options.hpp"

#include <ops/config.hpp>

#include <string>
#include <vector>

namespace opsarchive {

struct ArchiveSection {
  std::string name;
  std::string where;  // "/etc/ops/ops.conf:12"
  std::vector<ops::ConfigEntry> entries;
};

struct RowsJobSection {
  std::string name;
  std::string where;
  RowsSettings settings;
};

// The sections in file order; exit 3 for none at all.
std::vector<ArchiveSection> read_archive_sections(const ops::Config& config);
bool is_rows_section(const ArchiveSection& section);
// Exit 3, naming file and line, for an unknown key or a bad value.
RowsSettings read_rows_settings(const ops::Config& config, const ArchiveSection& section);

}  // namespace opsarchive
