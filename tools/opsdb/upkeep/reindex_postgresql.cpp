// opsdb reindex on PostgreSQL. REINDEX TABLE CONCURRENTLY (12+) builds each
// index anew beside the old one and swaps them, so reads and writes go on;
// it cannot run inside a transaction, and the runner's connections run each
// statement on its own. When it fails or is cancelled it leaves the new copy
// behind, invalid (NAME_ccnew) — kept up to date by every write, used by no
// query — or, late in its run, the old one (NAME_ccold). prepare() drops
// those before the tables are done; a run of ours that fails drops what it
// left itself. Other invalid indexes are a CREATE INDEX CONCURRENTLY that
// failed or is running: named, with what to do, never dropped.
#include "opsdb/upkeep/reindex.hpp"
#include "opsdb/upkeep/session.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace opsdb::reindex {

namespace {

using ops::db::Connection;
using ops::db::SqlError;

std::string pids(const std::vector<int>& holders) {
  return fmt::format("PID{} {}", holders.size() == 1 ? "" : "s", fmt::join(holders, ", "));
}

std::string plain(const PgInvalidIndex& index) { return index.schema + "." + index.name; }

// Drops the leftovers a failed REINDEX CONCURRENTLY of `table` made (the
// invalid _ccnew/_ccold indexes not there `before` it); says what came of it,
// empty when it left none.
std::string clear_leftovers(Connection& db, const ops::db::Table& table, const std::vector<PgIndex>& before) {
  std::set<std::string> invalid_before;
  for (const PgIndex& index : before)
    if (!index.valid) invalid_before.insert(index.quoted);
  std::vector<std::string> dropped, kept;
  for (const PgIndex& index : table_indexes(db, table)) {
    if (index.valid || invalid_before.contains(index.quoted) || !is_reindex_leftover(index.display)) continue;
    try {
      db.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.quoted);
      dropped.push_back(index.display);
    } catch (const SqlError&) {
      // It waits for the same transactions the REINDEX waited for.
      kept.push_back(index.display);
    }
  }
  std::vector<std::string> said;
  if (!dropped.empty()) said.push_back(fmt::format("dropped the unfinished {} it left", fmt::join(dropped, ", ")));
  if (!kept.empty())
    said.push_back(fmt::format("it left {} (invalid): the next opsdb reindex drops {}", fmt::join(kept, ", "),
                               kept.size() == 1 ? "it" : "them"));
  return fmt::format("{}", fmt::join(said, "; "));
}

}  // namespace

std::vector<std::string> postgresql_statements(int server_version_num, const ops::db::TableName& table) {
  const std::string name = table.quoted(ops::db::Engine::postgresql);
  if (server_version_num >= 120000) return {"REINDEX TABLE CONCURRENTLY " + name};
  return {"-- no CONCURRENTLY before PostgreSQL 12: a SHARE lock blocks writes to " + table.display() +
              ", and an ACCESS EXCLUSIVE lock on each index the reads that use it, until it ends",
          "REINDEX TABLE " + name};
}

InvalidAction action_for(const PgInvalidIndex& index) {
  if (!is_reindex_leftover(index.name)) return InvalidAction::leave;
  return index.holders.empty() ? InvalidAction::drop : InvalidAction::in_use;
}

std::string drop_statement(const PgInvalidIndex& index) {
  return fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {}", index.quoted);
}

std::string left_alone_note(const PgInvalidIndex& index) {
  if (action_for(index) == InvalidAction::in_use)
    return fmt::format("left {} alone: {} holds it (a REINDEX CONCURRENTLY of {} running now?)", plain(index),
                       pids(index.holders), index.table);
  return fmt::format(
      "invalid index {} on {} left alone: a CREATE INDEX CONCURRENTLY failed there{}. When none runs (opsdb "
      "activity), REINDEX INDEX CONCURRENTLY {} rebuilds it, or DROP INDEX CONCURRENTLY {} removes it",
      plain(index), index.table, index.holders.empty() ? " or is running now" : ", or runs now (" + pids(index.holders) + ")",
      index.quoted, index.quoted);
}

std::vector<std::string> postgresql_prepare(Connection& db, bool dry_run) {
  std::vector<std::string> notes;
  for (const PgInvalidIndex& index : invalid_indexes(db)) {
    if (action_for(index) != InvalidAction::drop) {
      notes.push_back(left_alone_note(index));
      continue;
    }
    const std::string why = "invalid, left by an interrupted REINDEX CONCURRENTLY of " + index.table;
    if (dry_run) {
      notes.push_back(fmt::format("would run first: {}; ({})", drop_statement(index), why));
      continue;
    }
    try {
      db.execute(drop_statement(index));
      notes.push_back(fmt::format("dropped {}: {}", plain(index), why));
    } catch (const SqlError& e) {
      // pg_toast is the superuser's: a table's owner may not even name its TOAST index.
      if (e.sqlstate() == "42501" && index.schema == "pg_toast")
        notes.push_back(fmt::format("could not drop {} ({}): only a superuser may drop an index of a TOAST table: as "
                                    "one, run DROP INDEX CONCURRENTLY {};",
                                    plain(index), why, index.quoted));
      else
        notes.push_back(
            fmt::format("could not drop {} ({}): {}; the next run tries again", plain(index), why, e.server_message()));
    }
  }
  return notes;
}

std::optional<std::string> postgresql_no_index(Connection& db, const ops::db::Table& table) {
  if (table_indexes(db, table).empty()) return "no index";
  return std::nullopt;
}

TableOutcome reindex_postgresql(Connection& db, const ops::db::Table& table, const VerbOptions& options) {
  const bool concurrently = server_version_num(db) >= 120000;
  const std::vector<PgIndex> before = table_indexes(db, table);
  try {
    db.execute((concurrently ? "REINDEX TABLE CONCURRENTLY " : "REINDEX TABLE ") + table.quoted(db.engine()));
  } catch (const SqlError& e) {
    if (!concurrently) throw;
    // A lock not had in time (or a cancel) may come after the new copies
    // were made: what the run left is dropped, so that the table is as it was.
    const std::string cleared = clear_leftovers(db, table, before);
    if (cleared.empty()) throw;
    if (!lock_not_had(e)) throw SqlError(fmt::format("{}; {}", e.what(), cleared), e.sqlstate(), e.hint());
    TableOutcome skipped;
    skipped.status = ops::Status::warning;
    skipped.result = "skipped";
    skipped.detail = fmt::format("lock not had within {}s: another session holds it; {}", options.lock_timeout.count(),
                                 cleared);
    return skipped;
  }
  TableOutcome out;
  out.result = "done";
  std::vector<std::string> invalid, exclusion;
  int rebuilt = 0;
  for (const PgIndex& index : table_indexes(db, table)) {
    if (concurrently && !index.valid) invalid.push_back(index.display);
    else if (concurrently && index.exclusion) exclusion.push_back(index.display);
    else ++rebuilt;
  }
  std::vector<std::string> parts{
      fmt::format("{} index{} rebuilt{}", rebuilt, rebuilt == 1 ? "" : "es", concurrently ? " concurrently" : "")};
  if (!exclusion.empty())
    parts.push_back(fmt::format("{} not rebuilt: PostgreSQL rebuilds an exclusion constraint's index only with a "
                                "plain REINDEX INDEX, which blocks writes",
                                fmt::join(exclusion, ", ")));
  if (!invalid.empty()) {
    // REINDEX TABLE CONCURRENTLY skips invalid indexes.
    out.status = ops::Status::warning;
    parts.push_back(fmt::format("invalid index{} {} not rebuilt (see the notes)", invalid.size() == 1 ? "" : "es",
                                fmt::join(invalid, ", ")));
  }
  out.detail = fmt::format("{}", fmt::join(parts, "; "));
  return out;
}

}  // namespace opsdb::reindex
