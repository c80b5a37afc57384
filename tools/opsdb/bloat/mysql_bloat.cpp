// opsdb bloat on MySQL/MariaDB: DATA_FREE of information_schema.TABLES, the
// space inside a table's file that holds no row (InnoDB: whole free extents
// of its tablespace; MyISAM and Aria: the holes deleted rows left), which
// OPTIMIZE TABLE gives back.
#include "opsdb/bloat/bloat.hpp"

#include <ops/db_catalog.hpp>
#include <ops/db_server.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace opsdb {

BloatReport mysql_bloat(ops::db::Connection& db) {
  BloatReport report;
  report.engine = ops::db::Engine::mysql;
  // MySQL 8 answers information_schema.TABLES from a cache a day old by
  // default; this session asks the storage engines. MariaDB has no cache.
  if (!ops::db::is_mariadb(db)) db.execute("SET SESSION information_schema_stats_expiry = 0");

  std::map<std::pair<std::string, std::string>, std::int64_t> free_bytes;
  for (auto c = db.query("SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(DATA_FREE, 0) FROM information_schema.TABLES "
                         "WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')");
       c->next();)
    free_bytes[{c->get_string(0), c->get_string(1)}] = c->get_int64(2);

  for (const ops::db::TableSize& t : ops::db::table_sizes(db)) {
    Relation r;
    r.table = t.display();
    r.engine = t.storage_engine;
    r.data_bytes = t.data_bytes;
    r.index_bytes = t.index_bytes;
    const std::int64_t wasted = free_bytes.count({t.schema, t.name}) ? free_bytes[{t.schema, t.name}] : 0;
    // InnoDB counts its free extents apart from DATA_LENGTH; MyISAM's and
    // Aria's DATA_LENGTH is the data file's length, holes included.
    r.size = t.total_bytes + (t.storage_engine == "InnoDB" ? wasted : 0);
    r.wasted = wasted;
    r.wasted_percent = r.size > 0 ? 100.0 * static_cast<double>(wasted) / static_cast<double>(r.size) : 0.0;
    report.relations.push_back(std::move(r));
  }

  const bool innodb = std::any_of(report.relations.begin(), report.relations.end(),
                                  [](const Relation& r) { return r.engine == "InnoDB"; });
  if (!innodb) return report;
  if (db.query_value("SELECT @@innodb_file_per_table").value_or("1") == "0")
    report.notes.push_back(
        "innodb_file_per_table is off: InnoDB tables in the shared system tablespace all report its free space "
        "as theirs, and optimize gives none of it back to the filesystem");
  report.notes.push_back(
      "InnoDB counts only whole free extents (1M and more), frees deleted rows' pages once purge has run, keeps a "
      "few megabytes free in a large table's file, and gives DATA_LENGTH as of its last statistics (opsdb analyze "
      "refreshes them)");
  return report;
}

}  // namespace opsdb
