// PostgreSQL's catalogue of indexes, read for check and reindex.
#include "opsdb/upkeep/pg_indexes.hpp"

#include <charconv>

namespace opsdb {

std::vector<PgIndex> table_indexes(ops::db::Connection& db, const ops::db::TableName& table) {
  auto rows = db.query(R"(
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),
           CASE WHEN i.indrelid = t.oid THEN c.relname ELSE n.nspname || '.' || c.relname END,
           CASE WHEN i.indrelid = t.oid THEN quote_literal(quote_ident(n.nspname) || '.' || quote_ident(c.relname))
                ELSE c.oid::text END || '::regclass',
           am.amname, (i.indisvalid AND i.indisready)::int,
           EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = c.oid AND x.contype = 'x')::int
    FROM pg_class t
    JOIN pg_index i ON i.indrelid = t.oid OR (t.reltoastrelid <> 0 AND i.indrelid = t.reltoastrelid)
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_am am ON am.oid = c.relam
    WHERE t.oid = $1::regclass
    ORDER BY i.indrelid <> t.oid, c.relname)",
                       {table.quoted(ops::db::Engine::postgresql)});
  std::vector<PgIndex> out;
  while (rows->next())
    out.push_back({rows->get_string(0), rows->get_string(2), rows->get_string(1), rows->get_string(3),
                   rows->get_int64(4) != 0, rows->get_int64(5) != 0});
  return out;
}

std::vector<PgInvalidIndex> invalid_indexes(ops::db::Connection& db) {
  // Who builds it now: a REINDEX or CREATE INDEX CONCURRENTLY holds a SHARE
  // UPDATE EXCLUSIVE lock on it (writers' ROW EXCLUSIVE locks, which every
  // write to the table takes, do not count), or shows in the progress view
  // (PostgreSQL 12 and later, as REINDEX CONCURRENTLY).
  const std::string building = server_version_num(db) >= 120000
                                   ? "UNION SELECT p.pid FROM pg_stat_progress_create_index p "
                                     "WHERE p.relid = t.oid AND p.pid <> pg_backend_pid()"
                                   : "";
  auto rows = db.query(R"(
    SELECT n.nspname, c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname),
           o.oid::regclass::text, ons.nspname, o.relname,
           COALESCE((SELECT string_agg(pid::text, ',' ORDER BY pid) FROM (
             SELECT l.pid FROM pg_locks l
             WHERE l.relation = c.oid AND l.pid <> pg_backend_pid() AND l.mode = 'ShareUpdateExclusiveLock'
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) )" +
                       building + R"() h), '')
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_class o ON o.oid = COALESCE((SELECT x.oid FROM pg_class x WHERE x.reltoastrelid = t.oid), t.oid)
    JOIN pg_namespace ons ON ons.oid = o.relnamespace
    WHERE NOT i.indisvalid
    ORDER BY n.nspname, c.relname)");
  std::vector<PgInvalidIndex> out;
  while (rows->next()) {
    PgInvalidIndex index{rows->get_string(0), rows->get_string(1), rows->get_string(2), rows->get_string(3),
                         rows->get_string(4), rows->get_string(5), {}};
    const std::string pids = rows->get_string(6);
    for (const char *p = pids.data(), *end = p + pids.size(); p < end;) {
      int pid = 0;
      auto r = std::from_chars(p, end, pid);
      if (r.ec != std::errc()) break;
      index.holders.push_back(pid);
      p = r.ptr + 1;  // past the comma
    }
    out.push_back(std::move(index));
  }
  return out;
}

bool is_reindex_leftover(std::string_view name) {
  while (!name.empty() && name.back() >= '0' && name.back() <= '9') name.remove_suffix(1);
  return name.ends_with("_ccnew") || name.ends_with("_ccold");
}

int server_version_num(ops::db::Connection& db) {
  return std::stoi(db.query_value("SELECT current_setting('server_version_num')").value_or("0"));
}

}  // namespace opsdb
