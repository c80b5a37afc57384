#pragma once
// opsdb reindex: PostgreSQL REINDEX TABLE CONCURRENTLY (12+; plain REINDEX
// TABLE before, which blocks writes) and what an interrupted one leaves;
// SQLite REINDEX. MySQL/MariaDB has no REINDEX (OPTIMIZE TABLE rebuilds).

#include "opsdb/upkeep/pg_indexes.hpp"
#include "opsdb/upkeep/verb.hpp"

#include <optional>
#include <string>
#include <vector>

namespace opsdb::reindex {

// The statement for a server of this version (server_version_num), with the
// lock it takes as a trailing comment.
std::vector<std::string> postgresql_statements(int server_version_num, const ops::db::TableName& table);
std::vector<std::string> sqlite_statements(const ops::db::TableName& table);

// What to do about one invalid index: a REINDEX CONCURRENTLY leftover that
// no session holds is dropped; anything else is left, with what to do.
enum class InvalidAction { drop, in_use, leave };
InvalidAction action_for(const PgInvalidIndex& index);
std::string drop_statement(const PgInvalidIndex& index);
// The report's line for an index left alone (in_use or leave).
std::string left_alone_note(const PgInvalidIndex& index);

// Drops (or, dry, lists the DROP of) the leftovers of interrupted REINDEX
// CONCURRENTLY runs and names the other invalid indexes: lines for the report.
std::vector<std::string> postgresql_prepare(ops::db::Connection& db, bool dry_run);

// Why a table needs no REINDEX: it has no index.
std::optional<std::string> postgresql_no_index(ops::db::Connection& db, const ops::db::Table& table);
std::optional<std::string> sqlite_no_index(ops::db::Connection& db, const ops::db::Table& table);

TableOutcome reindex_postgresql(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options);
TableOutcome reindex_sqlite(ops::db::Connection& db, const ops::db::Table& table);

}  // namespace opsdb::reindex
