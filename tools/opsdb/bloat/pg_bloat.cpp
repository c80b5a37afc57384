// opsdb bloat on PostgreSQL: the figures of pg_estimate.hpp gathered from
// pg_class, pg_stats and pg_stat_user_tables, a row per table and per index,
// and the database's transaction-ID age. Reads the catalogue and the
// statistics views only.
#include "opsdb/bloat/bloat.hpp"
#include "opsdb/bloat/pg_estimate.hpp"

#include <ops/db_catalog.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace opsdb {

namespace {

using ops::db::Cursor;

std::optional<std::int64_t> optional_int(const Cursor& c, std::size_t i) {
  return c.is_null(i) ? std::nullopt : std::optional<std::int64_t>(c.get_int64(i));
}

// The server's settings the judging needs, and its block size.
struct Settings {
  PageLayout layout;
  double analyze_threshold = 50;
  double analyze_scale_factor = 0.1;
};

// Columns of a table's statistics, summed once for every table (pg_stats
// shows only the columns this role may read). Tables are matched by
// pg_class.relkind and then kept when ops::db::list_tables lists them: the
// one rule of what a user table is.
constexpr const char* kTablesSql = R"(
SELECT n.nspname, c.relname, c.relpages, c.reltuples, pg_relation_size(c.oid),
       COALESCE((SELECT option_value FROM pg_options_to_table(c.reloptions)
                 WHERE option_name = 'fillfactor'), '100')::int,
       c.relnatts,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
       COALESCE(s.columns, 0), COALESCE(s.width, 0), COALESCE(s.nulls, false)::int,
       st.n_dead_tup, st.n_mod_since_analyze,
       EXTRACT(EPOCH FROM st.last_vacuum)::bigint, EXTRACT(EPOCH FROM st.last_autovacuum)::bigint,
       EXTRACT(EPOCH FROM st.last_analyze)::bigint, EXTRACT(EPOCH FROM st.last_autoanalyze)::bigint,
       GREATEST(age(c.relfrozenxid), age(t.relfrozenxid))
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid
LEFT JOIN (SELECT schemaname, tablename, count(*) AS columns,
                  sum((1 - null_frac) * avg_width) AS width, bool_or(null_frac > 0) AS nulls
           FROM pg_stats WHERE NOT inherited GROUP BY schemaname, tablename) s
  ON s.schemaname = n.nspname AND s.tablename = c.relname
WHERE c.relkind IN ('r', 'm'))";

// The statistics of an index's columns: a plain column's are its table's,
// an expression's are kept under the index's own name.
constexpr const char* kIndexesSql = R"(
SELECT n.nspname, c.relname, i.relname, am.amname, i.relpages, i.reltuples, pg_relation_size(i.oid),
       COALESCE((SELECT option_value FROM pg_options_to_table(i.reloptions)
                 WHERE option_name = 'fillfactor'), '90')::int,
       ix.indnatts, k.found, COALESCE(k.width, 0), COALESCE(k.nulls, false)::int
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class c ON c.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = i.relam
CROSS JOIN LATERAL (
  SELECT count(ps.attname) AS found, sum((1 - ps.null_frac) * ps.avg_width) AS width,
         bool_or(ps.null_frac > 0) AS nulls
  FROM generate_series(0, ix.indnatts - 1) AS k(pos)
  JOIN pg_attribute ia ON ia.attrelid = i.oid AND ia.attnum = k.pos + 1
  LEFT JOIN pg_attribute ta ON ta.attrelid = c.oid AND ta.attnum = ix.indkey[k.pos]
  LEFT JOIN pg_stats ps ON ps.schemaname = n.nspname AND NOT ps.inherited
   AND ps.tablename = CASE WHEN ix.indkey[k.pos] = 0 THEN i.relname ELSE c.relname END
   AND ps.attname = CASE WHEN ix.indkey[k.pos] = 0 THEN ia.attname ELSE ta.attname END) k
WHERE c.relkind IN ('r', 'm'))";

constexpr const char* kDatabaseSql = R"(
SELECT current_database(), age(d.datfrozenxid), current_setting('autovacuum_freeze_max_age')::bigint,
       o.datname, age(o.datfrozenxid), current_setting('block_size')::int,
       current_setting('autovacuum_analyze_threshold')::float8,
       current_setting('autovacuum_analyze_scale_factor')::float8, current_setting('autovacuum')
FROM pg_database d,
     (SELECT datname, datfrozenxid FROM pg_database ORDER BY age(datfrozenxid) DESC LIMIT 1) o
WHERE d.datname = current_database())";

// The waste of `actual` pages against `expected`, never more than the
// relation's size now (relpages may be older than it).
void set_waste(Relation& r, std::int64_t actual, std::int64_t expected, const PageLayout& layout) {
  const Waste w = waste_of(actual, expected, layout);
  r.wasted = std::min(w.bytes, r.size);
  r.wasted_percent = w.percent;
}

std::string analyze_hint(const std::string& table) { return "run opsdb analyze --table " + table; }

// Why a table cannot be estimated, or nullopt when it can.
std::optional<std::string> not_estimated(const Cursor& c, const Relation& r) {
  const double live_rows = c.get_double(3);
  const std::int64_t columns = c.get_int64(7), with_stats = c.get_int64(8);
  const bool analyzed = r.last_analyze || r.last_autoanalyze;
  if (with_stats == 0) {
    // ANALYZE of an empty table keeps no column statistics; it holds nothing.
    if (analyzed && live_rows == 0) return std::nullopt;
    if (!analyzed || live_rows < 0) return std::string("never analyzed");
    return std::string("no column statistics this role may read (pg_stats)");
  }
  if (with_stats < columns)
    return fmt::format("statistics for {} of its {} columns (added since the last ANALYZE, or SET STATISTICS 0)",
                       with_stats, columns);
  return std::nullopt;
}

void read_tables(ops::db::Connection& db, const Settings& settings, BloatReport& report,
                 std::map<std::string, std::string>& unestimated) {
  std::set<std::pair<std::string, std::string>> user_tables;
  for (const auto& t : ops::db::list_tables(db)) user_tables.emplace(t.schema, t.name);
  for (auto c = db.query(kTablesSql); c->next();) {
    if (!user_tables.count({c->get_string(0), c->get_string(1)})) continue;
    Relation r;
    r.table = c->get_string(0) + "." + c->get_string(1);
    r.size = c->get_int64(4);
    r.dead_rows = optional_int(*c, 11);
    r.last_vacuum = optional_int(*c, 13);
    r.last_autovacuum = optional_int(*c, 14);
    r.last_analyze = optional_int(*c, 15);
    r.last_autoanalyze = optional_int(*c, 16);
    r.xid_age = optional_int(*c, 17);
    if (auto why = not_estimated(*c, r)) {
      r.note = "not estimated: " + *why + ": " + analyze_hint(r.table);
      unestimated[r.table] = *why;
      report.relations.push_back(std::move(r));
      continue;
    }
    HeapFigures heap;
    heap.live_rows = c->get_double(3);
    heap.fillfactor = static_cast<int>(c->get_int64(5));
    heap.columns = static_cast<int>(c->get_int64(6));
    heap.data_width = c->get_double(9);
    heap.any_nulls = c->get_int64(10) != 0;
    set_waste(r, c->get_int64(2), expected_heap_pages(heap, settings.layout), settings.layout);
    // Autovacuum would have analyzed it by now: the estimate is of an older table.
    if (auto changed = optional_int(*c, 12);
        changed && *changed > settings.analyze_threshold + settings.analyze_scale_factor * heap.live_rows)
      r.note = fmt::format("statistics stale: {} rows changed since the last ANALYZE: {}", *changed,
                           analyze_hint(r.table));
    report.relations.push_back(std::move(r));
  }
}

void read_indexes(ops::db::Connection& db, const Settings& settings, BloatReport& report,
                  const std::map<std::string, std::string>& unestimated) {
  std::set<std::string> tables;
  for (const Relation& r : report.relations) tables.insert(r.table);
  for (auto c = db.query(kIndexesSql); c->next();) {
    Relation r;
    r.table = c->get_string(0) + "." + c->get_string(1);
    if (!tables.count(r.table)) continue;
    r.index = c->get_string(2);
    r.size = c->get_int64(6);
    const std::string method = c->get_string(3);
    const double entries = c->get_double(5);
    const std::int64_t columns = c->get_int64(8), with_stats = c->get_int64(9);
    if (method != "btree") {
      r.note = "not estimated: only B-tree indexes are (this one is " + method + ")";
    } else if (unestimated.count(r.table)) {
      r.note = "not estimated: its table is not";
    } else if (entries < 0 || with_stats < columns) {
      r.note = "not estimated: no statistics for its columns: " + analyze_hint(r.table);
    } else {
      IndexFigures index;
      index.entries = entries;
      index.fillfactor = static_cast<int>(c->get_int64(7));
      index.key_width = c->get_double(10);
      index.any_nulls = c->get_int64(11) != 0;
      set_waste(r, c->get_int64(4), expected_btree_pages(index, settings.layout), settings.layout);
    }
    report.relations.push_back(std::move(r));
  }
}

}  // namespace

BloatReport pg_bloat(ops::db::Connection& db) {
  BloatReport report;
  report.engine = ops::db::Engine::postgresql;
  Settings settings;
  Wraparound x;
  {
    auto c = db.query(kDatabaseSql);
    if (!c->next()) throw ops::Error(ops::Status::critical, "pg_database has no row for the current database");
    x.database = c->get_string(0);
    x.age = c->get_int64(1);
    x.freeze_max_age = c->get_int64(2);
    if (c->get_string(3) != x.database) {
      x.oldest_database = c->get_string(3);
      x.oldest_age = c->get_int64(4);
    }
    settings.layout.block_size = static_cast<int>(c->get_int64(5));
    settings.analyze_threshold = c->get_double(6);
    settings.analyze_scale_factor = c->get_double(7);
    if (c->get_string(8) != "on")
      report.notes.push_back(
          "autovacuum is off on this server: nothing vacuums or analyzes tables but a person or cron");
  }
  report.wraparound = x;
  std::map<std::string, std::string> unestimated;
  read_tables(db, settings, report, unestimated);
  read_indexes(db, settings, report, unestimated);
  for (const auto& [table, why] : unestimated) report.not_estimated.emplace_back(table, why);
  return report;
}

}  // namespace opsdb
