// Sizes and counters of one table, from each engine's catalogue.
#include "opsdb/upkeep/table_stats.hpp"

#include <fmt/format.h>

namespace opsdb {

namespace {

using ops::db::Engine;

std::optional<std::int64_t> int_value(ops::db::Connection& db, std::string_view sql,
                                      std::initializer_list<ops::db::Param> params) {
  auto v = db.query_value(sql, params);
  if (!v) return std::nullopt;
  return std::stoll(*v);
}

std::int64_t sqlite_pragma(ops::db::Connection& db, std::string_view pragma) {
  return std::stoll(db.query_value(fmt::format("PRAGMA {}", pragma)).value_or("0"));
}

}  // namespace

std::optional<std::int64_t> table_bytes(ops::db::Connection& db, const ops::db::TableName& table) {
  switch (db.engine()) {
    case Engine::postgresql:
      return int_value(db,
                       "SELECT pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
                       {table.schema, table.name});
    case Engine::mysql:
      return int_value(db,
                       "SELECT COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) + COALESCE(DATA_FREE, 0) "
                       "FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                       {table.schema, table.name});
    case Engine::sqlite:
      return sqlite_pragma(db, "page_count") * sqlite_pragma(db, "page_size");
  }
  return std::nullopt;
}

TableCounters table_counters(ops::db::Connection& db, const ops::db::TableName& table) {
  TableCounters t;
  switch (db.engine()) {
    case Engine::postgresql: {
      auto c = db.query(
          "SELECT s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze, "
          "(s.last_analyze IS NULL AND s.last_autoanalyze IS NULL)::int, age(c.relfrozenxid) "
          "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          "LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid WHERE n.nspname = $1 AND c.relname = $2",
          {table.schema, table.name});
      if (!c->next()) break;
      if (!c->is_null(0)) t.live_rows = c->get_int64(0);
      if (!c->is_null(1)) t.dead_rows = c->get_int64(1);
      if (!c->is_null(2)) t.changed_since_analyze = c->get_int64(2);
      t.never_analyzed = !c->is_null(3) && c->get_int64(3) != 0;
      if (!c->is_null(4)) t.xid_age = c->get_int64(4);
      break;
    }
    case Engine::mysql: {
      auto c = db.query(
          "SELECT COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0), "
          "COALESCE(DATA_FREE, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
          {table.schema, table.name});
      if (!c->next()) break;
      t.live_rows = c->get_int64(0);
      const double used = static_cast<double>(c->get_int64(1));
      const double free = static_cast<double>(c->get_int64(2));
      t.free_fraction = used + free > 0 ? free / (used + free) : 0.0;
      break;
    }
    case Engine::sqlite: {
      const double pages = static_cast<double>(sqlite_pragma(db, "page_count"));
      const double free = static_cast<double>(sqlite_pragma(db, "freelist_count"));
      t.free_fraction = pages > 0 ? free / pages : 0.0;
      break;
    }
  }
  return t;
}

std::string percent_text(double fraction) {
  const double p = fraction * 100.0;
  return p == static_cast<double>(static_cast<long long>(p)) ? fmt::format("{:.0f}%", p) : fmt::format("{:.1f}%", p);
}

}  // namespace opsdb
