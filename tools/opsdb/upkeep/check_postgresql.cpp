// opsdb check on PostgreSQL: amcheck. bt_index_check on every B-tree index
// of the table and of its TOAST table takes only an ACCESS SHARE lock, as a
// SELECT does; --extended adds heapallindexed (every row must be found in
// each index) and verify_heapam (14+: the table's own pages and rows).
//
// amcheck is an extension: where it is not installed, or the user may not
// call it, each table is "not-checked" (a warning, exit 1) and the report's
// notes say how to put it right. Never a silent pass.
#include "opsdb/upkeep/check.hpp"
#include "opsdb/upkeep/pg_indexes.hpp"

#include <fmt/format.h>

namespace opsdb::check {

namespace {

using ops::db::Connection;
using ops::db::SqlError;

// What this database's amcheck offers this user.
struct Amcheck {
  bool installed = false;
  std::string schema;           // quoted: its functions are called by it
  bool may_call = false;        // EXECUTE on bt_index_check
  bool heapallindexed = false;  // bt_index_check(regclass, boolean): amcheck 1.1 (PostgreSQL 11)
  bool heapam_exists = false;   // verify_heapam: amcheck 1.3 (PostgreSQL 14)
  bool heapam = false;          // … and this user may call it
};

Amcheck find_amcheck(Connection& db) {
  Amcheck a;
  auto row = db.query(R"(
    WITH x AS (SELECT quote_ident(n.nspname) AS s FROM pg_extension e
               JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'),
    f AS (SELECT s, to_regprocedure(s || '.bt_index_check(regclass, boolean)') AS two,
                 to_regprocedure(s || '.bt_index_check(regclass)') AS one,
                 to_regprocedure(s || '.verify_heapam(regclass, boolean, boolean, text, bigint, bigint)') AS heap
          FROM x)
    SELECT s, (two IS NOT NULL)::int,
           COALESCE(has_function_privilege(COALESCE(two, one)::oid, 'EXECUTE'), false)::int,
           (heap IS NOT NULL)::int, COALESCE(has_function_privilege(heap::oid, 'EXECUTE'), false)::int
    FROM f)");
  if (!row->next()) return a;
  a.installed = true;
  a.schema = row->get_string(0);
  a.heapallindexed = row->get_int64(1) != 0;
  a.may_call = row->get_int64(2) != 0;
  a.heapam_exists = row->get_int64(3) != 0;
  a.heapam = row->get_int64(4) != 0;
  return a;
}

std::string index_check_sql(const Amcheck& a, const PgIndex& index, bool extended) {
  const std::string schema = a.installed ? a.schema + "." : "";
  if (a.installed && !a.heapallindexed) return fmt::format("SELECT {}bt_index_check({})", schema, index.regclass);
  return fmt::format("SELECT {}bt_index_check({}, {})", schema, index.regclass, extended ? "true" : "false");
}

std::string heap_check_sql(const Amcheck& a, Connection& db, const ops::db::Table& table) {
  return fmt::format("SELECT blkno, offnum, attnum, msg FROM {}verify_heapam({}::regclass, check_toast => true)",
                     a.installed ? a.schema + "." : "", db.quote_literal(table.quoted(db.engine())));
}

bool is_corruption(const SqlError& e) { return e.sqlstate() == "XX001" || e.sqlstate() == "XX002"; }
bool is_lock_timeout(const SqlError& e) { return e.sqlstate() == "55P03"; }

// What one table's checks came to, before it is one line.
struct Findings {
  std::vector<std::string> corrupt, failed, denied, notes;
  int indexes_checked = 0;
  bool heap_checked = false;
};

// Runs one check; a lock not had in time ends the table (skipped).
template <typename F>
void guarded(Findings& f, const std::string& what, F&& check) {
  try {
    check();
  } catch (const SqlError& e) {
    if (is_lock_timeout(e)) throw;
    if (is_corruption(e)) f.corrupt.push_back(fmt::format("{}: {}", what, e.server_message()));
    else if (e.sqlstate() == "42501") f.denied.push_back(fmt::format("{}: {}", what, e.server_message()));
    else f.failed.push_back(fmt::format("{}: {}", what, e.server_message()));
  }
}

TableOutcome outcome_of(const Findings& f) {
  TableOutcome out;
  std::vector<std::string> parts;
  for (const auto* list : {&f.corrupt, &f.failed, &f.denied}) parts.insert(parts.end(), list->begin(), list->end());
  std::string checked = fmt::format("{} B-tree index{} checked", f.indexes_checked, f.indexes_checked == 1 ? "" : "es");
  if (f.heap_checked) checked += ", the table's rows checked (verify_heapam)";
  if (f.indexes_checked > 0 || f.heap_checked) parts.push_back(checked);
  parts.insert(parts.end(), f.notes.begin(), f.notes.end());
  out.detail = fmt::format("{}", fmt::join(parts, "; "));
  if (!f.corrupt.empty()) {
    out.status = ops::Status::critical;
    out.result = "corrupt";
  } else if (!f.failed.empty()) {
    out.status = ops::Status::critical;
    out.result = "failed";
  } else if (!f.denied.empty()) {
    out.status = ops::Status::warning;
    out.result = "not-checked";
  } else if (f.indexes_checked == 0 && !f.heap_checked) {
    out.result = "not-checkable";
  } else {
    out.result = "ok";
  }
  return out;
}

}  // namespace

std::vector<std::string> postgresql_statements(const ops::db::Table& table, const VerbOptions& options) {
  std::vector<std::string> sql{"-- for each B-tree index of " + table.display() + " and of its TOAST table:",
                               fmt::format("SELECT bt_index_check(INDEX, {})", options.extended ? "true" : "false")};
  if (options.extended) {
    sql.push_back("-- PostgreSQL 14 and later:");
    sql.push_back(fmt::format("SELECT * FROM verify_heapam('{}'::regclass, check_toast => true)",
                              table.quoted(ops::db::Engine::postgresql)));
  }
  return sql;
}

std::vector<std::string> postgresql_statements(Connection& db, const ops::db::Table& table, const VerbOptions& options) {
  const Amcheck a = find_amcheck(db);
  std::vector<std::string> sql;
  for (const PgIndex& index : table_indexes(db, table)) {
    if (!index.checkable()) continue;
    if (!index.regclass.starts_with("'")) sql.push_back("-- " + index.display + ", the TOAST table's index, by its OID:");
    sql.push_back(index_check_sql(a, index, options.extended));
  }
  if (options.extended && (!a.installed || a.heapam)) sql.push_back(heap_check_sql(a, db, table));
  return sql;
}

std::vector<std::string> postgresql_prepare(Connection& db, const VerbOptions& options) {
  const Amcheck a = find_amcheck(db);
  const std::string database = db.query_value("SELECT current_database()").value_or("");
  if (!a.installed)
    return {fmt::format("amcheck is not installed in database {0}: no index can be checked. As a superuser, run "
                        "CREATE EXTENSION amcheck; in {0} (it ships with the PostgreSQL server)",
                        database)};
  if (!a.may_call) {
    const std::string user = db.query_value("SELECT current_user").value_or("");
    return {fmt::format("{0} may not call amcheck's functions: as a superuser, run GRANT EXECUTE ON FUNCTION "
                        "{1}.bt_index_check(regclass, boolean), {1}.verify_heapam(regclass, boolean, boolean, text, "
                        "bigint, bigint) TO {0}; in {2} (or check as a superuser)",
                        user, a.schema, database)};
  }
  if (options.extended && a.heapam_exists && !a.heapam) {
    const std::string user = db.query_value("SELECT current_user").value_or("");
    return {fmt::format("{0} may not call verify_heapam, which --extended needs: as a superuser, run GRANT EXECUTE ON "
                        "FUNCTION {1}.verify_heapam(regclass, boolean, boolean, text, bigint, bigint) TO {0}; in {2}",
                        user, a.schema, database)};
  }
  return {};
}

TableOutcome check_postgresql(Connection& db, const ops::db::Table& table, const VerbOptions& options) {
  const Amcheck a = find_amcheck(db);
  TableOutcome out;
  if (!a.installed || !a.may_call) {
    out.status = ops::Status::warning;
    out.result = "not-checked";
    out.detail = a.installed ? "no EXECUTE on amcheck's bt_index_check (see the notes)"
                             : "amcheck is not installed: as a superuser, CREATE EXTENSION amcheck";
    return out;
  }
  Findings f;
  std::vector<std::string> not_btree, invalid;
  for (const PgIndex& index : table_indexes(db, table)) {
    if (!index.valid) {
      invalid.push_back(index.display);
      continue;
    }
    if (!index.checkable()) {
      not_btree.push_back(fmt::format("{} ({})", index.display, index.method));
      continue;
    }
    guarded(f, "index " + index.display, [&] {
      db.execute(index_check_sql(a, index, options.extended && a.heapallindexed));
      ++f.indexes_checked;
    });
  }
  if (options.extended) {
    if (a.heapam) {
      guarded(f, "table", [&] {
        auto rows = db.query(heap_check_sql(a, db, table));
        while (rows->next())
          f.corrupt.push_back(fmt::format("table block {} offset {}: {}", rows->get(0).value_or("?"),
                                          rows->get(1).value_or("?"), rows->get(3).value_or("")));
        f.heap_checked = true;
      });
    } else if (a.heapam_exists) {
      f.denied.push_back("table: no EXECUTE on verify_heapam (see the notes)");
    } else {
      f.notes.push_back("the table's own rows not checked: verify_heapam needs PostgreSQL 14 and amcheck 1.3");
    }
  }
  if (!not_btree.empty())
    f.notes.push_back(fmt::format("amcheck cannot check {}", fmt::join(not_btree, ", ")));
  TableOutcome result = outcome_of(f);
  if (!invalid.empty()) {
    // Not corruption: what a failed CREATE INDEX CONCURRENTLY or REINDEX
    // CONCURRENTLY left, or one that is running now.
    result.status = ops::worst(result.status, ops::Status::warning);
    result.detail += fmt::format("{}invalid index{} not checked: {} (a failed or running CREATE INDEX CONCURRENTLY "
                                 "or REINDEX CONCURRENTLY; opsdb reindex drops the _ccnew ones)",
                                 result.detail.empty() ? "" : "; ", invalid.size() == 1 ? "" : "es",
                                 fmt::join(invalid, ", "));
  }
  return result;
}

}  // namespace opsdb::check
