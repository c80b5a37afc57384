#pragma once
// The options that say what `opsarchive rows` archives, and their check,
// shared with `opsarchive run`, whose rows sections ([archive.NAME] with a
// `table`) have the same keys. rows_schema() declares each once: the options
// of `opsarchive rows` are made from it, and rows_settings() reads the command
// line and a section alike.

#include "opsarchive/rows/rows_job.hpp"

#include <ops/config.hpp>
#include <ops/log.hpp>
#include <ops/sections.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace opsarchive {

// The keys of a rows section, which are also the options of `opsarchive rows`
// (--db is `database`); batch, sleep, max_runtime, max_rows, limit_lag,
// replica, analyze and optimize in [archive] apply to every rows section.
const ops::SectionSchema& rows_schema();

// What the command line or a section says, before it is checked.
struct RowsSettings {
  std::string db, password_file, table, where;
  std::optional<std::string> to_table, to_db, to_file, file_format;
  bool purge = false, create = false;
  std::optional<long long> batch;
  std::optional<std::string> sleep, replica;
  std::optional<std::chrono::seconds> max_runtime, limit_lag;
  std::optional<long long> max_rows;
  bool analyze = false, optimize = false;
};

// From read_section() or read_options() of rows_schema().
RowsSettings rows_settings(const ops::SectionValues& values);

// Checks the settings (one destination; options that belong together) and
// resolves the databases: exit 3 naming `where` ("--to-db" or
// "/etc/ops/ops.conf:12") for anything wrong. Nothing is connected to yet.
RowsJob make_rows_job(const ops::Config& config, const RowsSettings& s, const std::string& where,
                      ops::Warnings& warnings);

}  // namespace opsarchive
