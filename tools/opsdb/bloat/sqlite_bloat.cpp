// opsdb bloat on SQLite: the file's free pages (PRAGMA freelist_count), which
// only VACUUM gives back, and each table's and index's unused bytes inside
// its pages (the dbstat virtual table, when the library has it).
#include "opsdb/bloat/bloat.hpp"

#include <ops/db_catalog.hpp>

#include <fmt/format.h>

#include <map>
#include <set>
#include <utility>

namespace opsdb {

namespace {

std::int64_t pragma(ops::db::Connection& db, const char* name) {
  return std::stoll(db.query_value(std::string("PRAGMA ") + name).value_or("0"));
}

// A row per b-tree of the user tables: its pages and the bytes in them that
// hold nothing (free space on a page, and its unused tail).
void read_btrees(ops::db::Connection& db, BloatReport& report) {
  std::set<std::string> user_tables;
  for (const auto& t : ops::db::list_tables(db)) user_tables.insert(t.name);
  auto c = db.query(R"(
SELECT m.tbl_name, m.type, m.name, SUM(s.pgsize), SUM(s.unused)
FROM sqlite_schema m JOIN dbstat('main') s ON s.name = m.name
WHERE m.type IN ('table', 'index')
GROUP BY m.name ORDER BY m.tbl_name, m.type DESC, m.name)");
  while (c->next()) {
    if (!user_tables.count(c->get_string(0))) continue;
    Relation r;
    r.table = "main." + c->get_string(0);
    if (c->get_string(1) == "index") r.index = c->get_string(2);
    r.size = c->get_int64(3);
    r.wasted = c->get_int64(4);
    r.wasted_percent = r.size > 0 ? 100.0 * static_cast<double>(*r.wasted) / static_cast<double>(r.size) : 0.0;
    report.relations.push_back(std::move(r));
  }
}

}  // namespace

BloatReport sqlite_bloat(ops::db::Connection& db) {
  BloatReport report;
  report.engine = ops::db::Engine::sqlite;
  const std::int64_t page_size = pragma(db, "page_size");
  const std::int64_t pages = pragma(db, "page_count");
  const std::int64_t free_pages = pragma(db, "freelist_count");
  Relation file;
  file.table = "(database)";
  file.size = pages * page_size;
  file.wasted = free_pages * page_size;
  file.wasted_percent = pages > 0 ? 100.0 * static_cast<double>(free_pages) / static_cast<double>(pages) : 0.0;
  file.note = fmt::format("{} free pages of {} bytes", free_pages, page_size);
  report.relations.push_back(std::move(file));

  // auto_vacuum = 1 (full) gives free pages back at every commit; 2
  // (incremental) keeps them until PRAGMA incremental_vacuum.
  if (pragma(db, "auto_vacuum") == 2)
    report.notes.push_back("auto_vacuum is incremental: PRAGMA incremental_vacuum also gives the free pages back");

  try {
    read_btrees(db, report);
  } catch (const ops::db::SqlError& e) {
    // Builds without SQLITE_ENABLE_DBSTAT_VTAB have no dbstat: the file's
    // free pages are still known.
    report.notes.push_back(std::string("no figures per table: this SQLite has no dbstat table (") + e.what() + ")");
  }
  return report;
}

}  // namespace opsdb
