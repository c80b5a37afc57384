// pg_stat_statements: installed in a database only after the server loaded
// it at start (shared_preload_libraries) and someone ran CREATE EXTENSION
// there. Its times are in milliseconds: total_exec_time and max_exec_time
// from PostgreSQL 13, total_time and max_time before (planning time was then
// counted in).
#include "opsdb/slow/sql_fingerprint.hpp"
#include "opsdb/slow/statement_sources.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

namespace opsdb {
namespace {

constexpr std::string_view kHidden = "<insufficient privilege>";

// `preloaded`: nullopt when this role may not read shared_preload_libraries.
std::string enable_hint(std::optional<bool> preloaded, bool created, const std::string& database) {
  std::string hint;
  if (preloaded != true)
    hint = fmt::format("{}add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf (keep any "
                       "libraries already listed there) and restart PostgreSQL",
                       preloaded ? "" : "unless it is there already, ");
  if (!created)
    hint += fmt::format("{}as a superuser, run CREATE EXTENSION pg_stat_statements; in database {}",
                        hint.empty() ? "" : ", then ", database);
  return hint;
}

std::optional<bool> preloaded(ops::db::Connection& db) {
  try {
    return db
        .query_value("SELECT 1 FROM unnest(string_to_array(current_setting('shared_preload_libraries'), ',')) AS l "
                     "WHERE trim(l) IN ('pg_stat_statements', '\"pg_stat_statements\"')")
        .has_value();
  } catch (const ops::db::SqlError&) {
    return std::nullopt;  // 42501: only superusers and pg_read_all_settings may read it
  }
}

}  // namespace

void read_pg_statements(ops::db::Connection& db, StatementTally& tally) {
  const std::string database = db.query_value("SELECT current_database()").value_or("");
  const auto schema = db.query_value(
      "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
      "WHERE e.extname = 'pg_stat_statements'");
  if (!schema)
    throw ops::Error(ops::Status::unknown, fmt::format("pg_stat_statements is not installed in {}", db.describe()),
                     enable_hint(preloaded(db), false, database));
  const int version = std::stoi(db.query_value("SELECT current_setting('server_version_num')").value_or("0"));
  const char* total = version >= 130000 ? "total_exec_time" : "total_time";
  const char* max = version >= 130000 ? "max_exec_time" : "max_time";
  std::unique_ptr<ops::db::Cursor> c;
  try {
    c = db.query(fmt::format("SELECT s.query, s.calls, s.{0} / 1000, s.{1} / 1000, s.rows "
                                "FROM {2} s WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                                total, max, db.quote_identifier(*schema, "pg_stat_statements")));
  } catch (const ops::db::SqlError& e) {
    // 55000: created, but the server did not load it at start.
    if (e.sqlstate() != "55000") throw;
    throw ops::Error(ops::Status::unknown,
                     fmt::format("pg_stat_statements is installed in {} but not loaded by the server", db.describe()),
                     enable_hint(false, true, database));
  }
  std::int64_t hidden = 0;
  while (c->next()) {
    StatementStats s;
    s.database = database;
    const std::string text = c->is_null(0) ? std::string(kHidden) : c->get_string(0);
    // Another role's statement, for a role without pg_read_all_stats.
    hidden += text == kHidden;
    s.query = text == kHidden ? text : sql_fingerprint(text, SqlDialect::postgresql);
    s.calls = c->get_int64(1);
    s.total = c->get_double(2);
    s.max = c->get_double(3);
    s.rows = c->get_int64(4);
    tally.add(std::move(s));
  }
  // Not a warning of the run (exit 1): what this role may see is listed whole.
  if (hidden)
    ops::log::warning_line(fmt::format("{} statements of other roles are shown as {}: grant pg_read_all_stats to "
                                       "the role opsdb connects as to see them",
                                       hidden, kHidden));
}

}  // namespace opsdb
