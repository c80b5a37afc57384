#pragma once
// Runs one verb over the chosen tables of one database: the tables picked by
// --table/--exclude from the catalogue (ops::db::list_tables), each statement
// under the lock timeout, --jobs connections at once (never more than the
// server has free), and one outcome per table. A table whose lock is not had
// in time is skipped with a warning and the run goes on.

#include "opsdb/upkeep/upkeep_options.hpp"
#include "opsdb/upkeep/verb.hpp"

#include <ops/db_target.hpp>
#include <ops/error.hpp>

#include <string>
#include <vector>

namespace opsdb {

struct UpkeepRequest {
  const Verb* verb = nullptr;
  ops::db::Target target;
  UpkeepSettings settings;
  bool dry_run = false;
};

struct TableRow {
  std::string table;  // SCHEMA.NAME, or "(database)" for a whole-database verb
  TableOutcome outcome;
  double seconds = 0;
  std::vector<std::string> statements;  // dry run: what would run
};

struct UpkeepReport {
  std::string database;           // the target's name, for messages
  std::string unsupported;        // set when the engine lacks the verb: the message, nothing ran
  std::vector<std::string> notes;  // from Verb::prepare, and "--jobs 4 lowered to 2: …"
  std::vector<TableRow> rows;     // in catalogue order
  ops::Status status = ops::Status::ok;  // worst of the rows
};

// Connects, chooses the tables and runs the verb. A connection that fails is
// ops::Error (critical), as is a pattern that matches no table (usage).
UpkeepReport run_upkeep(const UpkeepRequest& request, ops::Warnings& warnings);

}  // namespace opsdb
