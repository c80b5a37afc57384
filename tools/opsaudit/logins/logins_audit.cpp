// opsaudit logins [FILE...]: the sources (files with their rotated and
// compressed predecessors, the journal, applications' tables) read in time
// order into one tally, in one pass: a file is read and parsed on a thread
// of its own (file_source.hpp) while this one counts.
#include "opsaudit/audit_list.hpp"
#include "opsaudit/logins/app_logins.hpp"
#include "opsaudit/logins/attempts.hpp"
#include "opsaudit/logins/auth_parse.hpp"
#include "opsaudit/logins/file_source.hpp"
#include "opsaudit/logins/journal_source.hpp"
#include "opsaudit/logins/login_tally.hpp"

#include <ops/error.hpp>
#include <ops/local_time.hpp>
#include <ops/log_reader.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>
#include <ops/value_check.hpp>

#include <filesystem>
#include <fmt/format.h>

namespace opsaudit {
namespace {

namespace fs = std::filesystem;

bool is_journal(std::string_view arg) { return arg == "journal" || arg.ends_with(".journal"); }

// With no FILE: the journal when the host keeps one (a default Debian 12
// has no auth.log), else the syslog files of Debian and of Red Hat.
std::vector<std::string> default_sources() {
  if (system_journal_present()) return {"journal"};
  std::vector<std::string> files;
  for (const char* base : {"/var/log/auth.log", "/var/log/secure"}) {
    std::error_code ec;
    if (fs::exists(base, ec) || !ops::rotated_logs(base).empty()) files.emplace_back(base);
  }
  if (files.empty()) ops::fail("no authentication log to read: no journal, no /var/log/auth.log*, no /var/log/secure*");
  return files;
}

struct Reading {
  LoginTally& tally;
  AttemptCounter& counter;
  std::vector<std::string> notes;
  std::vector<std::string> read;  // what was read, for the title

  void line(const AuthLine& l) {
    tally.reached(l.time);
    const AuthMessage m = parse_auth_message(l);
    if (m.shape != AuthShape::none) counter.add(l, m);
  }

  void file(const std::string& path, ops::SysTime now, ops::SysTime from) {
    const FileReading r =
        read_auth_file(path, now, from, [&](const AuthLine& l, const AuthMessage& m) { counter.add(l, m); });
    counter.finish();
    if (r.earliest) tally.reached(*r.earliest);
    notes.insert(notes.end(), r.notes.begin(), r.notes.end());
    read.push_back(r.files.size() > 1 ? fmt::format("{} ({} files)", path, r.files.size()) : path);
  }
};

Section run_logins(const Request& request) {
  const auto& s = request.settings;
  const std::chrono::seconds length = s.duration("since").value_or(std::chrono::hours(24 * 7));
  TallyPeriod period{request.now - length, request.now - 2 * length, length, s.integer("threshold").value_or(5)};
  std::vector<AppLoginSource> apps = app_login_sources(request.config);
  const auto db = s.text("db"), sql = s.text("sql");
  if (db.has_value() != sql.has_value())
    ops::fail_usage(db ? "--db needs --sql: the query that yields the logins (time, address, user, success)"
                       : "--sql needs --db: the database it runs in");
  if (db) apps.push_back({"--db", *db, *sql, s.where("db")});

  LoginTally tally(period);
  AttemptCounter counter([&](const AuthEvent& e) { tally.add(e); });
  Reading reading{tally, counter, {}, {}};
  Section section{"logins", "", {}};
  const std::vector<std::string> sources = request.args.empty() ? default_sources() : request.args;
  const std::size_t count = sources.size() + apps.size();
  auto failed = [&](const std::string& what, const ops::Error& e) {
    if (count == 1) ops::fail(e.what());
    section.findings.push_back({Severity::critical, "not_audited", what, e.what()});
  };
  for (const std::string& source : sources) {
    try {
      if (is_journal(source)) {
        std::optional<fs::path> file;
        if (source != "journal") file = source;
        read_journal(file, period.previous_since, [&](const AuthLine& l) { reading.line(l); });
        counter.finish();
        reading.read.push_back(source == "journal" ? "the journal" : source);
      } else {
        reading.file(source, request.now, period.previous_since);
      }
    } catch (const ops::Error& e) {
      counter.finish();
      failed(source, e);
    }
  }
  for (const AppLoginSource& app : apps) {
    try {
      const std::size_t bad = read_app_logins(request.config, app, period.previous_since, [&](const AuthEvent& e) { tally.add(e); });
      if (bad) reading.notes.push_back(fmt::format("app {}: {} row{} not understood (no time, or a bad success flag)", app.name, bad, bad == 1 ? "" : "s"));
      reading.read.push_back("app " + app.name);
    } catch (const ops::Error& e) {
      failed("app " + app.name, e);
    }
  }
  std::string from;
  for (const auto& r : reading.read) from += (from.empty() ? "" : ", ") + r;
  section.title = fmt::format("logins since {} from {}: {} failure{}, {} success{} (threshold {})",
                              ops::format_local(period.since, "%Y-%m-%d %H:%M").value_or("?"),
                              from.empty() ? "nothing" : from, tally.failures(), tally.failures() == 1 ? "" : "s",
                              tally.successes(), tally.successes() == 1 ? "" : "es", period.threshold);
  tally.report(section);
  section.notes.insert(section.notes.end(), reading.notes.begin(), reading.notes.end());
  return section;
}

}  // namespace

Audit logins_audit() {
  return Audit{
      "logins",
      "[FILE|journal...]",
      "failed and suspicious logins: sshd, PAM, sudo, su, and applications' own login tables",
      ops::SectionSchema{
          "audit", "[audit]",
          with_common_keys(
              {since_key(),
               ops::SectionKey("threshold", ops::KeyType::integer, "failures from one address that make a finding")
                   .with_option("threshold", "N")
                   .with_default("5")
                   .with_range(1, 1000000000),
               ops::SectionKey("db", ops::KeyType::text,
                               "a database (NAME of [db.NAME], or a DSN) holding an application's logins; with --sql")
                   .with_option("db", "NAME"),
               ops::SectionKey("sql", ops::KeyType::text,
                               "the query of --db yielding time, address, user name and success, in that order")
                   .with_option("sql", "QUERY")})},
      0,
      -1,
      run_logins};
}

}  // namespace opsaudit
