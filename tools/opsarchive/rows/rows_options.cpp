#include "opsarchive/rows/rows_options.hpp"

#include "opsarchive/rows/pause_value.hpp"
#include "opsarchive/rows/row_file.hpp"
#include "opsarchive/rows/row_encoding.hpp"
#include "opsarchive/rows/table_shape.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <limits>

namespace opsarchive {

namespace {

// The checks of the keys read late (make_rows_job), so that ops.conf is
// refused when it is read; the messages name the value, the reader adds where.
ops::ValueCheck table_check() {
  return [](std::string_view text, const ops::Config&) {
    try {
      parse_table_ref(text, "");
    } catch (const ops::Error&) {
      ops::fail_usage(fmt::format("invalid table name '{}' (expected TABLE or SCHEMA.TABLE)", text));
    }
  };
}

ops::ValueCheck pause_check() {
  return [](std::string_view text, const ops::Config&) {
    try {
      parse_pause(text, "");
    } catch (const ops::Error&) {
      ops::fail_usage(fmt::format("invalid pause '{}' (e.g. 0.5s, 250ms, 2s, 1min)", text));
    }
  };
}

}  // namespace

const ops::SectionSchema& rows_schema() {
  using ops::KeyType;
  using Key = ops::SectionKey;
  static const ops::SectionSchema schema{"archive", "a rows section", {
    Key("database", KeyType::text, "the source database: a [db.NAME] of ops.conf, or a DSN")
        .with_option("db", "NAME|DSN")
        .with_check(ops::database_check()),
    Key("password_file", KeyType::path, "password for the source (first line of FILE)")
        .with_option("password-file", "FILE"),
    Key("table", KeyType::text, "the source table (SCHEMA.TABLE allowed)")
        .with_option("table", "TABLE")
        .with_check(table_check()),
    Key("where", KeyType::text, "which rows: an SQL condition, run as given; NOW() and its kin are fixed at the start")
        .with_option("where", "SQL"),
    Key("to_table", KeyType::text, "copy into TABLE of the same database (with --to-db: of that one), then delete")
        .with_option("to-table", "TABLE")
        .with_check(table_check()),
    Key("to_db", KeyType::text, "copy into a table on another server, then delete").with_option("to-db", "NAME|DSN")
        .with_check(ops::database_check()),
    Key("to_file", KeyType::path, "append to a file (.gz, .zst, .xz compress), then delete")
        .with_option("to-file", "PATH")
        .with_check(ops::new_file_check()),
    Key("file_format", KeyType::text, "the format of --to-file (default from its name, else csv)")
        .with_option("file-format", "csv|jsonl")
        .with_check([](std::string_view text, const ops::Config&) { parse_file_format(text); }),
    Key("purge", KeyType::flag, "delete only").with_option("purge"),
    Key("create", KeyType::flag, "create the destination table like the source when it is missing")
        .with_option("create"),
    Key("batch", KeyType::integer, "rows a batch (default 1000)")
        .with_option("batch", "N")
        .with_range(1, 100000)
        .inherited(),
    Key("sleep", KeyType::text, "pause between batches (0.5s, 250ms)")
        .with_option("sleep", "TIME")
        .with_check(pause_check())
        .inherited(),
    Key("max_runtime", KeyType::duration, "start no batch after TIME (30min, 2h)")
        .with_option("max-runtime", "TIME")
        .inherited(),
    Key("max_rows", KeyType::integer, "archive at most N rows")
        .with_option("max-rows", "N")
        .with_range(1, std::numeric_limits<long long>::max())
        .inherited(),
    Key("limit_lag", KeyType::duration, "pause while a replica is further behind")
        .with_option("limit-lag", "TIME")
        .inherited(),
    Key("replica", KeyType::text, "the replica whose lag --limit-lag reads")
        .with_option("replica", "NAME|DSN")
        .with_check(ops::database_check())
        .inherited(),
    Key("analyze", KeyType::flag, "ANALYZE the tables afterwards").with_option("analyze").inherited(),
    Key("optimize", KeyType::flag, "OPTIMIZE (MySQL) or VACUUM (PostgreSQL, SQLite) the tables afterwards")
        .with_option("optimize")
        .inherited(),
  }};
  return schema;
}

RowsSettings rows_settings(const ops::SectionValues& v) {
  RowsSettings s;
  s.db = v.text("database").value_or("");
  s.password_file = v.text("password_file").value_or("");
  s.table = v.text("table").value_or("");
  s.where = v.text("where").value_or("");
  s.to_table = v.text("to_table");
  s.to_db = v.text("to_db");
  s.to_file = v.text("to_file");
  s.file_format = v.text("file_format");
  s.purge = v.flag("purge");
  s.create = v.flag("create");
  s.batch = v.integer("batch");
  s.sleep = v.text("sleep");
  s.max_runtime = v.duration("max_runtime");
  s.max_rows = v.integer("max_rows");
  s.limit_lag = v.duration("limit_lag");
  s.replica = v.text("replica");
  s.analyze = v.flag("analyze");
  s.optimize = v.flag("optimize");
  return s;
}

RowsJob make_rows_job(const ops::Config& config, const RowsSettings& s, const std::string& where,
                      ops::Warnings& warnings) {
  const std::string at = where.empty() ? "" : where + ": ";
  if (s.db.empty()) ops::fail_usage(at + "no database: give --db NAME|DSN");
  if (s.table.empty()) ops::fail_usage(at + "no table: give --table TABLE");
  if (s.where.empty())
    ops::fail_usage(at + "no --where condition", "to archive every row, say so: --where '1=1'");
  RowsJob job;
  job.source = ops::db::resolve_target(config, s.db, warnings, s.password_file);
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
    check_row_file_target(d.file, at);
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
    if (s.to_db) d.server = ops::db::resolve_target(config, *s.to_db, warnings);
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
  job.max_runtime = s.max_runtime;
  if (s.max_rows) {
    if (*s.max_rows < 1) ops::fail_usage(fmt::format("{}--max-rows {} must be at least 1", at, *s.max_rows));
    job.max_rows = static_cast<std::uint64_t>(*s.max_rows);
  }
  job.limit_lag = s.limit_lag;
  if (s.replica) {
    if (!s.limit_lag) ops::fail_usage(at + "--replica is read for --limit-lag, which is not given");
    job.replica = ops::db::resolve_target(config, *s.replica, warnings);
  }
  job.analyze = s.analyze;
  job.optimize = s.optimize;
  return job;
}

}  // namespace opsarchive
