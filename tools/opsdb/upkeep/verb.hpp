#pragma once
// One upkeep verb (analyze, vacuum, optimize, check, reindex) as the runner
// (upkeep/runner.hpp) drives it: which engines have it, which tables need it,
// the statements it runs on one table, and what came of them. The runner
// owns everything around a verb: the tables chosen, the connections with
// their lock timeout, --jobs, --dry-run, the report and the exit status.

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>
#include <ops/status.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsdb {

// What the command line or a [dbupkeep.NAME] section asks of every verb.
struct VerbOptions {
  bool full = false;          // vacuum --full: PostgreSQL VACUUM FULL (an ACCESS EXCLUSIVE lock)
  bool skip_analyze = false;  // vacuum --skip-analyze: plain VACUUM, statistics left as they are
  std::chrono::seconds lock_timeout{5};
  // Thresholds (vacuum, analyze, optimize): a table below both is skipped as
  // not needing the verb. Unset: every table is done.
  std::optional<double> min_dead;              // fraction 0..1 of dead (or changed) rows
  std::optional<std::int64_t> min_xid_age;     // PostgreSQL: age(relfrozenxid)
};

// What one table's upkeep came to: one line of the report.
struct TableOutcome {
  // ok: done or not needed; warning: skipped (lock not had in time);
  // critical: failed, or check found corruption.
  ops::Status status = ops::Status::ok;
  std::string result;  // one word: done, rebuilt, skipped, not-needed, corrupt, failed
  std::string detail;  // one line: why it was skipped, the engine's message, what was found
  std::optional<std::int64_t> bytes_before;  // vacuum and optimize: the table's size (data + indexes)
  std::optional<std::int64_t> bytes_after;
};

class Verb {
 public:
  virtual ~Verb() = default;
  virtual std::string_view name() const = 0;  // "analyze"

  // nullopt when the engine has the verb; else the one-line message that
  // says what the engine has instead ("MySQL/MariaDB has no VACUUM: `opsdb
  // optimize` rebuilds a table and gives its free space back"). Not a failure.
  virtual std::optional<std::string> unsupported(ops::db::Engine engine) const = 0;

  // Whole-database verbs (SQLite VACUUM works on the file, not one table)
  // are run once, on a table named "(database)": the runner then ignores
  // --table and --jobs.
  virtual bool whole_database(ops::db::Engine) const { return false; }

  // Once before the tables, on the first connection (reindex: drops the
  // invalid _ccnew indexes an interrupted REINDEX CONCURRENTLY left).
  // Returns lines for the report (what was found and done); with dry_run
  // only says what it would do.
  virtual std::vector<std::string> prepare(ops::db::Connection&, const VerbOptions&, bool /*dry_run*/) const {
    return {};
  }

  // nullopt when the table needs the verb, else why not ("3% dead rows, below
  // --min-dead 10%"): the table is listed as not-needed. Reads statistics only.
  virtual std::optional<std::string> not_needed(ops::db::Connection&, const ops::db::Table&,
                                                const VerbOptions&) const {
    return std::nullopt;
  }

  // The statements run() runs on the table, in order, for --dry-run. A line
  // that starts with "-- " is a comment for the reader, not run: the lock a
  // statement takes when that matters ("-- takes an ACCESS EXCLUSIVE lock: …").
  virtual std::vector<std::string> statements(ops::db::Engine, const ops::db::Table&, const VerbOptions&) const = 0;

  // Runs them on a connection whose lock timeout the runner has set. A
  // lock not had in time throws ops::db::SqlError (the runner turns it into
  // "skipped"); the verb turns what the engine reports (MySQL's result rows,
  // SQLite's integrity_check lines) into the outcome.
  virtual TableOutcome run(ops::db::Connection&, const ops::db::Table&, const VerbOptions&) const = 0;
};

// The verbs, one file each.
const Verb& analyze_verb();
const Verb& vacuum_verb();
const Verb& optimize_verb();
const Verb& check_verb();
const Verb& reindex_verb();

// All five, in the order above; nullptr when `name` is none of them.
const std::vector<const Verb*>& all_verbs();
const Verb* find_verb(std::string_view name);

}  // namespace opsdb
