// The batch loop of `opsarchive rows`: walk the source table along its key,
// and for each batch, in one source transaction, lock the matching rows, copy
// them, delete exactly those keys, commit.
#include "opsarchive/rows/frozen_now.hpp"
#include "opsarchive/rows/lag_source.hpp"
#include "opsarchive/rows/rows_job.hpp"
#include "opsarchive/rows/sql_usage.hpp"

#include <ops/clock.hpp>
#include <ops/db_catalog.hpp>
#include <ops/db_server.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/progress.hpp>

#include <fmt/format.h>

#include <numeric>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace opsarchive {

namespace {

using ops::db::Engine;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// "2026-12-02 13:00:00", "2026-12-02" or "13:00:00" in UTC.
enum class UtcPart { timestamp, date, time };
std::string utc_text(ops::SysTime t, UtcPart part) {
  const std::string iso = ops::format_time(t);  // "2026-12-02T13:00:00Z"
  const std::string date = iso.substr(0, 10), time = iso.substr(11, 8);
  return part == UtcPart::date ? date : part == UtcPart::time ? time : date + " " + time;
}

// Fixes the run's "now": read once, and for MySQL set as the session's
// timestamp, which NOW() and its kin then return. Unless OPS_NOW fixes it
// (tests), it is the server's clock, which its rows were stamped by.
StartTime fix_start_time(ops::db::Connection& db) {
  const std::optional<ops::SysTime> fixed = ops::fixed_now();
  StartTime s;
  switch (db.engine()) {
    case Engine::postgresql: {
      const ops::db::Param at = fixed ? ops::db::Param(utc_text(*fixed, UtcPart::timestamp) + "+00")
                                      : ops::db::Param(std::nullopt);
      auto c = db.query("SELECT t::text, t::timestamp::text, t::date::text, t::timetz::text, t::time::text "
                        "FROM (SELECT COALESCE($1::timestamptz, now()) AS t) s",
                        {at});
      c->next();
      s = {c->get_string(0), c->get_string(1), c->get_string(2), c->get_string(3), c->get_string(4)};
      break;
    }
    case Engine::mysql: {
      const std::int64_t epoch = fixed ? std::chrono::duration_cast<std::chrono::seconds>(fixed->time_since_epoch()).count()
                                       : std::stoll(db.query_value("SELECT UNIX_TIMESTAMP()").value_or("0"));
      db.execute(fmt::format("SET TIMESTAMP = {}", epoch));
      s.timestamp = s.timestamp_tz = db.query_value("SELECT NOW()").value_or("");
      break;
    }
    case Engine::sqlite: {
      const auto now = ops::now();
      s.timestamp = s.timestamp_tz = utc_text(now, UtcPart::timestamp);
      s.date = utc_text(now, UtcPart::date);
      s.time = s.time_tz = utc_text(now, UtcPart::time);
      break;
    }
  }
  return s;
}

// MariaDB turns an IN list of 1000 values or more into a join with a
// temporary table, which made each batch's copy a third slower (12 ms
// against 9 for 1000 rows) than the index lookups it is; MySQL has no such
// setting.
void tune_session(ops::db::Connection& db) {
  if (!ops::db::is_mariadb(db)) return;
  db.execute("SET SESSION in_predicate_conversion_threshold = 0");
}

std::string key_text(const KeyValues& key) { return key.size() == 1 ? key.front() : fmt::format("({})", fmt::join(key, ", ")); }

class Archiver {
 public:
  Archiver(const RowsJob& job, std::ostream& report) : job_(job), report_(report) {}

  RowsOutcome run() {
    check_job();
    db_ = ops::db::connect(job_.source.dsn, job_.source.options);
    const Engine e = db_->engine();
    auto shape = as_usage(fmt::format("table {} on {}", job_.table.display(), db_->describe()),
                          [&] { return describe_table(*db_, job_.table); });
    if (!shape) ops::fail_usage(fmt::format("table {} does not exist on {}", job_.table.display(), db_->describe()));
    if (shape->key.empty())
      ops::fail_usage(fmt::format("table {} has no primary key and no unique index over NOT NULL columns: "
                                  "opsarchive cannot name its rows one by one",
                                  job_.table.display()),
                      "add a primary key (an id column) to the table");
    if (job_.batch * shape->key.size() > 30000)
      ops::fail_usage(fmt::format("--batch {} with a key of {} columns binds more than 30000 values a statement",
                                  job_.batch, shape->key.size()));
    shape_ = std::move(*shape);
    tune_session(*db_);
    start_ = fix_start_time(*db_);
    bool frozen = false;
    sql_.engine = e;
    sql_.table = job_.table.quoted(e);
    sql_.key = quoted(e, shape_.key);
    sql_.where = freeze_now(e, job_.where, start_, &frozen);
    frozen_ = frozen || e == Engine::mysql;
    as_usage(fmt::format("--where '{}' on {}", job_.where, job_.table.display()), [&] {
      auto probe = db_->query(sql_.select(false, false, 0, false));
      while (probe->next()) {
      }
      return 0;
    });
    if (job_.limit_lag) lag_ = std::make_unique<LagSource>(*db_, job_.replica);
    std::ostringstream notes;  // what a dry run would create, printed after the header
    dest_ = open_destination(job_.destination, *db_, shape_, sql_, job_.dry_run, notes);
    notes_ = notes.str();
    whole_rows_ = !dest_->row_columns().empty();
    sql_.columns = quoted(e, whole_rows_ ? dest_->row_columns() : shape_.key);
    const auto& names = whole_rows_ ? dest_->row_columns() : shape_.key;
    for (const auto& k : shape_.key) {
      const auto at = std::find(names.begin(), names.end(), k);
      if (at == names.end())  // a generated key column, which a copy does not carry
        ops::fail_usage(fmt::format("key column '{}' of {} is generated: its rows cannot be copied by key",
                                    k, job_.table.display()));
      key_positions_.push_back(static_cast<std::size_t>(at - names.begin()));
    }
    outcome_.destination = dest_->describe();
    if (job_.dry_run) {
      dry_run();
      return outcome_;
    }
    dest_->resume(*db_, sql_);
    loop();
    if (job_.analyze || job_.optimize) {
      ops::db::maintain_table(*db_, job_.table, {job_.analyze, job_.optimize});
      dest_->maintain(job_.analyze, job_.optimize);
    }
    return outcome_;
  }

 private:
  void check_job() {
    if (job_.batch == 0 || job_.batch > 100000)
      ops::fail_usage(fmt::format("--batch {} is out of range (1 to 100000)", job_.batch));
    if (job_.where.empty())
      ops::fail_usage("--where is empty", "to archive every row, say so: --where '1=1'");
  }

  std::vector<ops::db::Param> after_params() const {
    std::vector<ops::db::Param> params;
    if (last_)
      for (auto i : sql_.after_last_order()) params.emplace_back((*last_)[i]);
    return params;
  }

  Batch select_batch(std::size_t limit, bool lock) {
    Batch batch;
    const auto params = after_params();
    auto cursor = db_->query(sql_.select(whole_rows_, last_.has_value(), limit, lock), params);
    while (cursor->next()) {
      RowValues row = current_row(*cursor);
      KeyValues key = key_of(row, key_positions_);
      batch.keys.push_back(std::move(key));
      if (whole_rows_) batch.rows.push_back(std::move(row));
    }
    return batch;
  }

  // The keys a select_and_copy statement returns: the batch it copied.
  Batch copied_batch(const std::string& sql) {
    Batch batch;
    const auto params = after_params();
    std::vector<std::size_t> returned(sql_.key.size());  // the statement returns only the key
    std::iota(returned.begin(), returned.end(), std::size_t{0});
    auto cursor = db_->query(sql, params);
    while (cursor->next()) batch.keys.push_back(key_of(current_row(*cursor), returned));
    return batch;
  }

  void dry_run() {
    auto line = [&](const std::string& label, const std::string& text) {
      report_ << fmt::format("{:<12} {}\n", label, text);
    };
    line("source", fmt::format("{} table {} (key {}: {})", db_->describe(), job_.table.display(),
                               fmt::join(shape_.key, ", "), shape_.key_source));
    line("destination", dest_->describe());
    report_ << notes_;
    line("where", job_.where);
    if (frozen_)
      line("cut-off", fmt::format("now is fixed at {} for the whole run", start_.timestamp_tz));
    const auto matching = db_->query_value(sql_.count()).value_or("0");
    line("matching", matching + " rows");
    const auto n = std::stoull(matching);
    line("batches", fmt::format("{} of at most {} rows", (n + job_.batch - 1) / job_.batch, job_.batch));
    const Batch first = select_batch(job_.batch, false);
    if (first.size())
      line("first batch", fmt::format("{} rows, key {} .. {}", first.size(), key_text(first.keys.front()),
                                      key_text(first.keys.back())));
    const std::size_t rows = std::max<std::size_t>(1, std::min<std::size_t>(first.size(), 3));
    const auto begin = ops::db::begin_statements(db_->engine(), ops::db::TransactionMode::immediate);
    line("begin", fmt::format("{}", fmt::join(begin, "; ")));
    if (const std::string copy = dest_->select_and_copy(true, job_.batch); !copy.empty()) {
      line("copy", copy);
    } else {
      line("select", sql_.select(whole_rows_, true, job_.batch, true));
      for (const auto& [label, sql] : dest_->statements(rows)) line(label, sql);
    }
    line("delete", sql_.delete_keys(rows));
    line("commit", "COMMIT");
  }

  void pause_for_lag() {
    if (!lag_) return;
    bool told = false;
    while (true) {
      const auto lag = lag_->seconds();
      if (lag && *lag <= static_cast<double>(job_.limit_lag->count())) return;
      if (!told) {
        ops::log::info_line(lag ? fmt::format("replica lag {:.0f}s is over --limit-lag {}s: waiting", *lag,
                                              job_.limit_lag->count())
                                : "replica lag unknown (replication stopped?): waiting");
        told = true;
      }
      if (runtime_over()) return;
      const auto t = Clock::now();
      std::this_thread::sleep_for(std::chrono::seconds(1));
      outcome_.pause_seconds += seconds_since(t);
    }
  }

  bool runtime_over() const {
    return job_.max_runtime && seconds_since(started_) >= static_cast<double>(job_.max_runtime->count());
  }

  void loop() {
    started_ = Clock::now();
    const bool show = job_.progress && ::isatty(STDERR_FILENO);
    std::uint64_t total = 0;
    if (show) total = std::stoull(db_->query_value(sql_.count()).value_or("0"));
    ops::Progress progress("rows", job_.max_rows ? std::min(total, *job_.max_rows) : total, !show);
    while (true) {
      if (job_.max_rows && outcome_.rows >= *job_.max_rows) {
        outcome_.stopped = "max-rows";
        break;
      }
      pause_for_lag();
      if (runtime_over()) {
        outcome_.stopped = "max-runtime";
        break;
      }
      std::size_t limit = job_.batch;
      if (job_.max_rows) limit = static_cast<std::size_t>(std::min<std::uint64_t>(limit, *job_.max_rows - outcome_.rows));
      if (!one_batch(limit)) break;
      progress.update(outcome_.rows);
      if (job_.sleep.count() > 0) {
        const auto t = Clock::now();
        std::this_thread::sleep_for(job_.sleep);
        outcome_.pause_seconds += seconds_since(t);
      }
    }
    progress.finish();
    outcome_.seconds = seconds_since(started_);
  }

  // One batch; false when no row is left.
  bool one_batch(std::size_t limit) {
    // Immediate: on SQLite the write lock holds the batch as selected until the
    // commit, as SELECT … FOR UPDATE does on the other engines.
    ops::db::Transaction txn(*db_, ops::db::TransactionMode::immediate);
    auto t = Clock::now();
    Batch batch;
    if (const std::string copy = dest_->select_and_copy(last_.has_value(), limit); !copy.empty()) {
      batch = copied_batch(copy);
      outcome_.copy_seconds += seconds_since(t);
    } else {
      batch = select_batch(limit, true);
      outcome_.select_seconds += seconds_since(t);
      if (batch.size()) {
        t = Clock::now();
        dest_->copy(batch);
        outcome_.copy_seconds += seconds_since(t);
      }
    }
    if (batch.size() == 0) {
      txn.rollback();
      return false;
    }
    t = Clock::now();
    const auto params = batch.key_params();
    const auto deleted = db_->execute(sql_.delete_keys(batch.size()), params);
    outcome_.delete_seconds += seconds_since(t);
    if (deleted != static_cast<std::int64_t>(batch.size()))
      ops::fail(fmt::format("deleting a batch of {} from {} removed {} rows, not the {} copied; rolled back", db_->describe(),
                            job_.table.display(), deleted, batch.size()));
    t = Clock::now();
    txn.commit();
    dest_->committed();
    outcome_.commit_seconds += seconds_since(t);
    outcome_.rows += batch.size();
    ++outcome_.batches;
    last_ = batch.keys.back();
    return true;
  }

  const RowsJob& job_;
  std::ostream& report_;
  std::unique_ptr<ops::db::Connection> db_;
  TableShape shape_;
  StartTime start_;
  bool frozen_ = false;
  BatchSql sql_;
  std::unique_ptr<Destination> dest_;
  std::string notes_;
  std::unique_ptr<LagSource> lag_;
  bool whole_rows_ = false;
  std::vector<std::size_t> key_positions_;
  std::optional<KeyValues> last_;
  Clock::time_point started_ = Clock::now();
  RowsOutcome outcome_;
};

}  // namespace

RowsOutcome archive_rows(const RowsJob& job, std::ostream& dry_run_report) {
  return Archiver(job, dry_run_report).run();
}

}  // namespace opsarchive
