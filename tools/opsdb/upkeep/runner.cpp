// The upkeep runner: tables chosen from the catalogue, the lock timeout set on
// every connection, --jobs workers over their own connections, one outcome
// per table. The verb knows its statements; the runner knows everything a
// verb must never get wrong on its own: which tables, how long to wait for a
// lock, how many connections the server can spare, and what a failure means.
#include "opsdb/upkeep/runner.hpp"

#include "opsdb/upkeep/session.hpp"

#include <ops/log.hpp>

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace opsdb {

namespace {

using ops::db::Engine;

bool matches(const std::string& glob, const ops::db::Table& table) {
  return fnmatch(glob.c_str(), table.name.c_str(), 0) == 0 || fnmatch(glob.c_str(), table.display().c_str(), 0) == 0;
}

// The tables --table and --exclude choose, in catalogue order. A --table
// glob that matches nothing is bad usage: a typo must not turn into "done".
std::vector<ops::db::Table> choose_tables(std::vector<ops::db::Table> all, const UpkeepSettings& settings,
                                          const std::string& database) {
  for (const auto& glob : settings.tables)
    if (std::none_of(all.begin(), all.end(), [&](const auto& t) { return matches(glob, t); }))
      ops::fail_usage(fmt::format("--table '{}' matches no table of {}", glob, database),
                      "globs match NAME or SCHEMA.NAME, e.g. --table 'audit_*' or --table 'public.audit_*'");
  std::vector<ops::db::Table> chosen;
  for (auto& t : all) {
    const bool wanted = settings.tables.empty() ||
                        std::any_of(settings.tables.begin(), settings.tables.end(), [&](const auto& g) { return matches(g, t); });
    const bool excluded =
        std::any_of(settings.exclude.begin(), settings.exclude.end(), [&](const auto& g) { return matches(g, t); });
    if (wanted && !excluded) chosen.push_back(std::move(t));
  }
  return chosen;
}

// One table's run, on one connection: a lock not had in time is "skipped"
// (warning), any other error "failed" (critical); neither stops the run.
TableRow run_one(ops::db::Connection& db, const Verb& verb, const ops::db::Table& table, const VerbOptions& options,
                 std::chrono::seconds lock_timeout) {
  TableRow row;
  row.table = table.display();
  const auto start = std::chrono::steady_clock::now();
  try {
    row.outcome = verb.run(db, table, options);
  } catch (const std::exception& e) {
    if (lock_not_had(e)) {
      row.outcome.status = ops::Status::warning;
      row.outcome.result = "skipped";
      row.outcome.detail = fmt::format("lock not had within {}s: another session holds it", lock_timeout.count());
    } else {
      row.outcome.status = ops::Status::critical;
      row.outcome.result = "failed";
      row.outcome.detail = e.what();
    }
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return row;
}

}  // namespace

UpkeepReport run_upkeep(const UpkeepRequest& request, ops::Warnings& warnings) {
  const Verb& verb = *request.verb;
  const Engine engine = request.target.dsn.engine;
  const VerbOptions& options = request.settings.verb;
  UpkeepReport report;
  report.database = request.target.name;
  if (auto why = verb.unsupported(engine)) {
    report.unsupported = *why;
    return report;
  }

  auto first = open_session(request.target, options.lock_timeout);
  std::vector<ops::db::Table> tables;
  if (verb.whole_database(engine)) {
    if (!request.settings.tables.empty() || !request.settings.exclude.empty())
      report.notes.push_back(fmt::format("{} works on the whole {} file: --table and --exclude do not apply",
                                         verb.name(), ops::db::engine_name(engine)));
    tables.push_back(ops::db::Table{{"", "(database)"}, ops::db::TableKind::table, ""});
  } else {
    tables = choose_tables(ops::db::list_tables(*first), request.settings, report.database);
  }

  for (auto& line : verb.prepare(*first, options, request.dry_run)) report.notes.push_back(std::move(line));

  // Which tables need the verb, judged before any work (statistics only).
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableRow row;
    row.table = tables[i].display();
    if (auto why = verb.not_needed(*first, tables[i], options)) {
      row.outcome.result = "not-needed";
      row.outcome.detail = *why;
    } else {
      todo.push_back(i);
      if (request.dry_run) {
        row.outcome.result = "would-run";
        row.statements = verb.statements_on(*first, tables[i], options);
      }
    }
    report.rows.push_back(std::move(row));
  }
  if (request.dry_run) {
    report.notes.insert(report.notes.begin(),
                        fmt::format("every statement runs after: {}",
                                    fmt::join(lock_timeout_statements(engine, options.lock_timeout), "; ")));
    return report;
  }

  // The workers: the first connection and as many more as --jobs asks and
  // the server can spare.
  std::vector<std::unique_ptr<ops::db::Connection>> sessions;
  sessions.push_back(std::move(first));
  int jobs = std::min<int>(request.settings.jobs, static_cast<int>(std::max<std::size_t>(todo.size(), 1)));
  if (jobs > 1 && engine == Engine::sqlite) {
    report.notes.push_back("--jobs is 1 for SQLite: one writer at a time");
    jobs = 1;
  }
  if (jobs > 1) {
    // At most half the free connections: the other half stays for the
    // application, which must never find the server full because of upkeep.
    if (const auto free = free_connections(*sessions.front()); free && *free / 2 < jobs - 1) {
      const long long spare = *free / 2;
      report.notes.push_back(fmt::format("--jobs {} lowered to {}: the server has {} free connection{}, and opsdb "
                                         "takes at most half of them",
                                         request.settings.jobs, spare + 1, *free, *free == 1 ? "" : "s"));
      jobs = static_cast<int>(spare) + 1;
    }
  }
  for (int i = 1; i < jobs; ++i) sessions.push_back(open_session(request.target, options.lock_timeout));

  std::atomic<std::size_t> next{0};
  auto work = [&](ops::db::Connection& db) {
    for (std::size_t k; (k = next.fetch_add(1)) < todo.size();) {
      const std::size_t i = todo[k];
      report.rows[i] = run_one(db, verb, tables[i], options, options.lock_timeout);
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t w = 1; w < sessions.size(); ++w) workers.emplace_back([&, w] { work(*sessions[w]); });
    work(*sessions.front());
  }

  for (const TableRow& row : report.rows) {
    report.status = ops::worst(report.status, row.outcome.status);
    if (row.outcome.result == "skipped")
      warnings.add("{}: {} skipped: {}", report.database, row.table, row.outcome.detail);
    else if (row.outcome.status == ops::Status::critical)
      ops::log::error_line(fmt::format("{}: {} {}: {}", report.database, verb.name(), row.table, row.outcome.detail));
  }
  return report;
}

}  // namespace opsdb
