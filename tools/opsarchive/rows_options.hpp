#pragma once
// The options that say what `opsarchive rows` archives, and their check,
// shared with `opsarchive run`, whose [archive.NAME] keys are the same names.

#include "rows_job.hpp"

#include <ops/config.hpp>

#include <optional>
#include <string>

namespace opsarchive {

// What the command line or a section says, before it is checked.
struct RowsSettings {
  std::string db, password_file, table, where;
  std::optional<std::string> to_table, to_db, to_file, file_format;
  bool purge = false, create = false;
  std::optional<long long> batch;
  std::optional<std::string> sleep, max_runtime, limit_lag, replica;
  std::optional<long long> max_rows;
  bool analyze = false, optimize = false;
};

// Checks the settings (one destination; options that belong together) and
// resolves the databases: exit 3 naming `where` ("--to-db" or
// "/etc/ops/ops.conf:12") for anything wrong. Nothing is connected to yet.
RowsJob make_rows_job(const ops::Config& config, const RowsSettings& s, const std::string& where);

}  // namespace opsarchive
