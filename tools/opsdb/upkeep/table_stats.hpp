#pragma once
// What the verbs read of one table before and after working on it: the
// space it takes (for vacuum's and optimize's BEFORE and AFTER) and the
// counters their thresholds judge (--min-dead, --min-xid-age).

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>

#include <cstdint>
#include <optional>

namespace opsdb {

// Bytes the table holds on disk with its indexes. PostgreSQL: its relation,
// TOAST and indexes; MySQL/MariaDB: DATA_LENGTH + INDEX_LENGTH + DATA_FREE
// (the tablespace's allocated space: OPTIMIZE gives DATA_FREE back); SQLite:
// the whole file (page_count × page_size), as VACUUM works on the file.
// nullopt when the catalogue no longer has the table.
std::optional<std::int64_t> table_bytes(ops::db::Connection& db, const ops::db::TableName& table);

// The counters of PostgreSQL's pg_stat_user_tables and pg_class, MySQL's
// DATA_FREE, SQLite's freelist: what is known, the rest unset.
struct TableCounters {
  std::optional<std::int64_t> live_rows;
  std::optional<std::int64_t> dead_rows;             // PostgreSQL
  std::optional<std::int64_t> changed_since_analyze; // PostgreSQL
  bool never_analyzed = false;                       // PostgreSQL: no last_analyze nor last_autoanalyze
  std::optional<std::int64_t> xid_age;               // PostgreSQL: age(relfrozenxid)
  std::optional<double> free_fraction;               // MySQL: DATA_FREE share; SQLite: freelist share
};
TableCounters table_counters(ops::db::Connection& db, const ops::db::TableName& table);

// "12.5%" for 0.125.
std::string percent_text(double fraction);

}  // namespace opsdb
