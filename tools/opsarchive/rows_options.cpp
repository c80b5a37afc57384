#include "rows_options.hpp"

#include "pause_value.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

namespace opsarchive {

namespace {

std::chrono::seconds duration(const std::string& text, const std::string& where, const char* name) {
  try {
    return ops::parse_duration(text);
  } catch (const ops::Error& e) {
    ops::fail_usage(fmt::format("{}{}: {}", where, name, e.what()));
  }
}

}  // namespace

RowsJob make_rows_job(const ops::Config& config, const RowsSettings& s, const std::string& where) {
  const std::string at = where.empty() ? "" : where + ": ";
  if (s.db.empty()) ops::fail_usage(at + "no database: give --db NAME|DSN");
  if (s.table.empty()) ops::fail_usage(at + "no table: give --table TABLE");
  if (s.where.empty())
    ops::fail_usage(at + "no --where condition", "to archive every row, say so: --where '1=1'");
  RowsJob job;
  job.source = ops::db::resolve_target(config, s.db, s.password_file);
  job.table = parse_table_ref(s.table, "--table");
  job.where = s.where;

  const int destinations = (s.to_table && !s.to_db) + static_cast<int>(s.to_db.has_value()) +
                           static_cast<int>(s.to_file.has_value()) + static_cast<int>(s.purge);
  if (destinations != 1)
    ops::fail_usage(at + (destinations == 0 ? "no destination" : "more than one destination"),
                    "give exactly one of --to-table T, --to-db NAME|DSN [--to-table T], --to-file PATH, --purge");
  using Kind = DestinationRequest::Kind;
  DestinationRequest& d = job.destination;
  if (s.purge) d.kind = Kind::purge;
  else if (s.to_file) {
    d.kind = Kind::file;
    d.file = *s.to_file;
    if (s.file_format) d.file_format = parse_file_format(*s.file_format);
    else {
      const std::string name = d.file.filename().string();
      d.file_format = name.find(".jsonl") != std::string::npos || name.find(".json") != std::string::npos
                          ? FileFormat::jsonl
                          : FileFormat::csv;
    }
  } else {
    d.kind = s.to_db ? Kind::other_db : Kind::table;
    d.table = parse_table_ref(s.to_table.value_or(s.table), "--to-table");
    if (s.to_db) d.server = ops::db::resolve_target(config, *s.to_db);
  }
  if (s.file_format && !s.to_file) ops::fail_usage(at + "--file-format is for --to-file");
  if (s.create && d.kind != Kind::table && d.kind != Kind::other_db)
    ops::fail_usage(at + "--create is for --to-table and --to-db");
  d.create = s.create;

  if (s.batch) {
    if (*s.batch < 1 || *s.batch > 100000) ops::fail_usage(fmt::format("{}--batch {} is out of range (1..100000)", at, *s.batch));
    job.batch = static_cast<std::size_t>(*s.batch);
  }
  if (s.sleep) job.sleep = parse_pause(*s.sleep, where.empty() ? "--sleep" : where);
  if (s.max_runtime) job.max_runtime = duration(*s.max_runtime, at, "--max-runtime");
  if (s.max_rows) {
    if (*s.max_rows < 1) ops::fail_usage(fmt::format("{}--max-rows {} must be at least 1", at, *s.max_rows));
    job.max_rows = static_cast<std::uint64_t>(*s.max_rows);
  }
  if (s.limit_lag) job.limit_lag = duration(*s.limit_lag, at, "--limit-lag");
  if (s.replica) {
    if (!s.limit_lag) ops::fail_usage(at + "--replica is read for --limit-lag, which is not given");
    job.replica = ops::db::resolve_target(config, *s.replica);
  }
  job.analyze = s.analyze;
  job.optimize = s.optimize;
  return job;
}

}  // namespace opsarchive
