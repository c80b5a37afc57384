#pragma once
// opsdb check, one file per engine: what each engine can say about
// corruption, turned into one outcome. Corruption and failed checks are
// critical; what cannot be checked is said, never passed over in silence.
//   MySQL/MariaDB: CHECK TABLE and its result rows (check_mysql.cpp).
//   PostgreSQL: amcheck, bt_index_check on each B-tree index of the table and
//     its TOAST table; verify_heapam with --extended (check_postgresql.cpp).
//   SQLite: PRAGMA integrity_check of the whole file, each problem named by
//     its table, and PRAGMA foreign_key_check (check_sqlite.cpp).

#include "opsdb/upkeep/verb.hpp"

#include <string>
#include <vector>

namespace opsdb::check {

// One result row of CHECK TABLE: Msg_type (status, error, Error, warning,
// note, info) and Msg_text.
struct MysqlRow {
  std::string type;
  std::string text;
};

std::vector<std::string> mysql_statements(const ops::db::Table& table, const VerbOptions& options);
// What the rows of CHECK TABLE say. A row "Lock wait timeout exceeded" is
// thrown as the SqlError it stands for, so that the table is skipped.
TableOutcome mysql_outcome(const std::vector<MysqlRow>& rows);
TableOutcome check_mysql(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options);

// Without a connection: one line that stands for the call on each index.
std::vector<std::string> postgresql_statements(const ops::db::Table& table, const VerbOptions& options);
std::vector<std::string> postgresql_statements(ops::db::Connection& db, const ops::db::Table& table,
                                               const VerbOptions& options);
// When amcheck is missing or may not be called: how to put it right.
std::vector<std::string> postgresql_prepare(ops::db::Connection& db, const VerbOptions& options);
TableOutcome check_postgresql(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options);

// A problem PRAGMA integrity_check found; table is empty for those of the
// file itself (its free-page list, pages no b-tree reaches).
struct SqliteProblem {
  std::string table;
  std::string text;
};
// A row PRAGMA foreign_key_check found: the row of `table` whose `parent`
// row is missing.
struct SqliteOrphan {
  std::string table;
  std::string rowid;
  std::string parent;
};

std::vector<std::string> sqlite_statements();
// The problems of the whole file, each given the table whose own
// PRAGMA integrity_check(TABLE) reports the same line.
std::vector<SqliteProblem> attribute(const std::vector<std::string>& file_lines,
                                     const std::vector<std::pair<std::string, std::vector<std::string>>>& table_lines);
TableOutcome sqlite_outcome(const std::vector<SqliteProblem>& problems, const std::vector<SqliteOrphan>& orphans);
TableOutcome check_sqlite(ops::db::Connection& db);

}  // namespace opsdb::check
