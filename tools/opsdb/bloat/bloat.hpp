#pragma once
// What `opsdb bloat` finds in one database: a row per relation (a table, or
// one of its indexes) with its size and the space it wastes, and what the
// engine says about the whole database (PostgreSQL's wraparound headroom,
// SQLite's free pages). Each engine's reader fills it (pg_bloat.cpp,
// mysql_bloat.cpp, sqlite_bloat.cpp); bloat_judge.cpp judges and sorts it,
// bloat_output.cpp prints it.

#include <ops/db.hpp>
#include <ops/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdb {

struct Relation {
  std::string table;  // SCHEMA.NAME; "(database)" for SQLite's whole file
  std::string index;  // empty for the table itself
  std::int64_t size = 0;                // bytes on disk now
  std::optional<std::int64_t> wasted;   // unset: not estimated (note says why)
  std::optional<double> wasted_percent;
  // PostgreSQL tables: pg_stat_user_tables and pg_class.
  std::optional<std::int64_t> dead_rows;
  std::optional<std::int64_t> xid_age;  // age(relfrozenxid), its TOAST table's too
  std::optional<std::int64_t> last_vacuum, last_autovacuum, last_analyze, last_autoanalyze;  // Unix seconds
  // MySQL/MariaDB: the storage engine and what information_schema.TABLES says.
  std::string engine;
  std::optional<std::int64_t> data_bytes, index_bytes;
  // Set by the reader when the estimate is missing or doubtful; the judge
  // adds to it.
  std::string note;
  // Set by the judge.
  ops::Status status = ops::Status::ok;
  std::string reclaim;  // the opsdb command that gives the space back: "vacuum --full", "reindex" …
};

// PostgreSQL: the connected database's transaction-ID age and the server's
// autovacuum_freeze_max_age; the oldest database of the cluster when it is
// another one (wraparound is the cluster's, the oldest database sets it).
struct Wraparound {
  std::string database;
  std::int64_t age = 0;
  std::int64_t freeze_max_age = 200000000;
  std::string oldest_database;  // empty when it is `database`
  std::int64_t oldest_age = 0;
  ops::Status status = ops::Status::ok;
};

struct BloatReport {
  ops::db::Engine engine = ops::db::Engine::postgresql;
  std::string database;             // the target's name, for messages
  std::vector<Relation> relations;
  std::optional<Wraparound> wraparound;
  // Tables whose waste could not be estimated, with why ("never analyzed").
  std::vector<std::pair<std::string, std::string>> not_estimated;
  std::vector<std::string> notes;   // facts about the whole run, for the reader
  std::size_t below_min_size = 0;   // relations left out by --min-size
  std::size_t beyond_top = 0;       // relations left out by --top
  ops::Status status = ops::Status::ok;
};

// The engine readers. Each reads statistics and catalogues only: nothing is
// scanned (SQLite's dbstat excepted, which reads each page of the file once)
// and nothing is locked beyond what a catalogue read takes.
BloatReport pg_bloat(ops::db::Connection& db);
BloatReport mysql_bloat(ops::db::Connection& db);
BloatReport sqlite_bloat(ops::db::Connection& db);

}  // namespace opsdb
