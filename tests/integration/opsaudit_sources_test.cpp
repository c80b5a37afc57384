// opsaudit logins' two sources that need something real to read:
//  - the journal: a journal file this test writes with systemd-journal-remote
//    from journal export format (checked with journalctl --file), read with
//    read_journal;
//  - application login rows: a SecurityEvent-like table on the PostgreSQL and
//    MariaDB test servers (OPS_TEST_PG_DSN, OPS_TEST_MYSQL_DSN and their
//    password files), read with read_app_logins through an [audit.NAME]
//    section of an ops.conf.
// The logins audit's report on the same inputs: tests/integration/opsaudit_logins*.sh.

#include "server_test_support.hpp"
#include "opsaudit/logins/app_logins.hpp"
#include "opsaudit/logins/journal_source.hpp"

#include <ops/config.hpp>
#include <ops/db.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace opsaudit;

namespace {

using ops::test::required_env;

const fs::path& scratch() { return ops::test::scratch_dir("audit-sources"); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a shell command; its exit status.
int shell(const std::string& command) {
  int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

ops::SysTime at(const char* text) { return ops::parse_time(text); }

// --- journal export format (systemd's "Journal Export Format") -----------------

struct ExportEntry {
  std::int64_t realtime_usec;
  std::vector<std::pair<std::string, std::string>> fields;
};

// One entry: "FIELD=value\n" for text, and for a value holding a newline or
// a NUL the binary form: "FIELD\n", its length as 64-bit little endian, the
// bytes, "\n". An empty line ends the entry.
std::string export_format(const std::vector<ExportEntry>& entries) {
  std::string out;
  std::uint64_t monotonic = 1;
  for (const ExportEntry& entry : entries) {
    out += fmt::format("__REALTIME_TIMESTAMP={}\n__MONOTONIC_TIMESTAMP={}\n", entry.realtime_usec, monotonic++);
    out += "_BOOT_ID=6b1c2a0d4e5f40a1b2c3d4e5f6a7b8c9\n_HOSTNAME=web1\n";
    for (const auto& [name, value] : entry.fields) {
      if (value.find_first_of(std::string("\n\0", 2)) == std::string::npos) {
        out += name + "=" + value + "\n";
        continue;
      }
      out += name + "\n";
      std::uint64_t size = value.size();
      for (int i = 0; i < 8; ++i) out += static_cast<char>((size >> (8 * i)) & 0xff);
      out += value + "\n";
    }
    out += "\n";
  }
  return out;
}

std::int64_t usec(const char* text) { return std::int64_t{at(text).time_since_epoch().count()} * 1000000; }

// The journal file written from `entries` (checked with journalctl, so a
// reader that found nothing would not pass for a journal that holds nothing).
fs::path write_journal(const std::string& name, const std::vector<ExportEntry>& entries) {
  fs::path exported = scratch() / (name + ".export");
  fs::path journal = scratch() / (name + ".journal");  // systemd-journal-remote wants the suffix
  std::ofstream(exported, std::ios::binary) << export_format(entries);
  REQUIRE(shell(fmt::format("/lib/systemd/systemd-journal-remote -o {} - <{} 2>/dev/null", quoted(journal),
                            quoted(exported))) == 0);
  REQUIRE(shell(fmt::format("journalctl --file {} -o cat >{} 2>&1", quoted(journal),
                            quoted(scratch() / (name + ".cat")))) == 0);
  return journal;
}

struct Line {
  ops::SysTime time;
  std::string program, pid, message;
};

std::vector<Line> read_lines(const fs::path& journal, ops::SysTime since) {
  std::vector<Line> lines;
  read_journal(journal, since, [&](const AuthLine& l) {
    lines.push_back({l.time, std::string(l.program), std::string(l.pid), std::string(l.message)});
  });
  return lines;
}

}  // namespace

TEST_CASE("audit sources: the journal file systemd-journal-remote wrote, its authentication entries in time order") {
  const std::string blob("pam_unix(sudo:auth): \0\xff\xfe binary\nsecond line", 44);
  fs::path journal = write_journal(
      "auth", {
                  {usec("2026-11-20T08:00:00Z"),  // before since
                   {{"SYSLOG_IDENTIFIER", "sshd"}, {"_PID", "100"}, {"_COMM", "sshd"},
                    {"MESSAGE", "Failed password for root from 198.51.100.1 port 1000 ssh2"}}},
                  {usec("2026-12-01T10:00:00Z"),
                   {{"SYSLOG_IDENTIFIER", "sshd-session"}, {"_PID", "4242"}, {"_COMM", "sshd-session"},
                    {"SYSLOG_PID", "4242"}, {"MESSAGE", "Failed password for root from 203.0.113.9 port 4242 ssh2"}}},
                  {usec("2026-12-01T10:00:01Z"),  // not an authentication program
                   {{"SYSLOG_IDENTIFIER", "CRON"}, {"_PID", "7"}, {"MESSAGE", "pam_unix(cron:session): session opened"}}},
                  {usec("2026-12-01T10:00:02Z"),  // PAM through sshd, as Debian 12's OpenSSH 9.2 logs it
                   {{"SYSLOG_IDENTIFIER", "sshd"}, {"_PID", "4300"}, {"_COMM", "sshd"},
                    {"MESSAGE", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                                "ruser= rhost=203.0.113.9  user=root"}}},
                  {usec("2026-12-01T10:00:03Z"),  // no _PID: SYSLOG_PID
                   {{"SYSLOG_IDENTIFIER", "sudo"}, {"SYSLOG_PID", "77"}, {"MESSAGE", blob}}},
                  {usec("2026-12-01T10:00:04Z"),
                   {{"SYSLOG_IDENTIFIER", "su"}, {"_PID", "88"},
                    {"MESSAGE", "FAILED SU (to root) alice on pts/0"}}},
                  {usec("2026-12-01T10:00:05Z"),  // no MESSAGE at all
                   {{"SYSLOG_IDENTIFIER", "sshd-session"}, {"_PID", "4243"}}},
                  {usec("2026-12-01T10:00:06Z"),  // a program whose name begins like one of them
                   {{"SYSLOG_IDENTIFIER", "sshdfoo"}, {"_PID", "9"}, {"MESSAGE", "Failed password for x"}}},
              });
  // journalctl agrees that the file holds what was written.
  std::string cat = slurp(scratch() / "auth.cat");
  CHECK_THAT(cat, Catch::Contains("Failed password for root from 203.0.113.9 port 4242 ssh2"));
  CHECK_THAT(cat, Catch::Contains("FAILED SU (to root) alice on pts/0"));

  std::vector<Line> lines = read_lines(journal, at("2026-11-29T00:00:00Z"));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].time == at("2026-12-01T10:00:00Z"));
  CHECK(lines[0].program == "sshd-session");
  CHECK(lines[0].pid == "4242");
  CHECK(lines[0].message == "Failed password for root from 203.0.113.9 port 4242 ssh2");
  CHECK(lines[1].program == "sshd");
  CHECK(lines[1].pid == "4300");
  CHECK_THAT(lines[1].message, Catch::StartsWith("pam_unix(sshd:auth): authentication failure;"));
  CHECK(lines[2].program == "sudo");
  CHECK(lines[2].pid == "77");
  CHECK(lines[2].message == blob);  // every byte, the NUL and the newline too
  CHECK(lines[3].program == "su");
  CHECK(lines[3].time == at("2026-12-01T10:00:04Z"));
  CHECK(lines[4].program == "sshd-session");
  CHECK(lines[4].message.empty());

  // From the beginning of time: the entry of November comes first.
  std::vector<Line> all = read_lines(journal, ops::SysTime{});
  REQUIRE(all.size() == 6);
  CHECK(all[0].time == at("2026-11-20T08:00:00Z"));
  CHECK(all[0].pid == "100");
  // After the last entry: nothing.
  CHECK(read_lines(journal, at("2026-12-02T00:00:00Z")).empty());
}

TEST_CASE("audit sources: a journal file that cannot be read is an error naming it and why") {
  auto error_of = [](const fs::path& path) -> std::string {
    try {
      read_lines(path, ops::SysTime{});
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::critical);
      return e.what();
    }
    FAIL("no error for " << path);
    return {};
  };
  fs::path missing = scratch() / "missing.journal";
  CHECK(error_of(missing) ==
        fmt::format("cannot read journal file '{}': No such file or directory", missing.string()));
  fs::path text = scratch() / "text.journal";
  std::ofstream(text) << std::string(4096, 'x');
  CHECK(error_of(text) == fmt::format("cannot open journal file '{}': not a journal file, or a damaged one",
                                      text.string()));
  fs::path empty = scratch() / "empty.journal";
  std::ofstream{empty};
  CHECK_THAT(error_of(empty), Catch::Contains("empty, or cut short"));
  CHECK_THAT(error_of(scratch()), Catch::EndsWith(": not a regular file"));
}

TEST_CASE("audit sources: system_journal_present matches the host's journal directories") {
  bool any = false;
  for (const char* root : {"/run/log/journal", "/var/log/journal"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->path().filename().string().starts_with("system") && it->path().extension() == ".journal") any = true;
  }
  CHECK(system_journal_present() == any);
  // Without one, reading "the journal" is an error, never an empty audit;
  // with one it reads, or (a user outside systemd-journal and adm) names the
  // file it may not read.
  if (any) {
    try {
      read_journal(std::nullopt, ops::SysTime{}, [](const AuthLine&) {});
    } catch (const ops::Error& e) {
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("cannot read the system journal: '") &&
                                            Catch::Contains("Permission denied"));
    }
  } else {
    try {
      read_journal(std::nullopt, ops::SysTime{}, [](const AuthLine&) {});
      FAIL("no error without a journal");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::critical);
      CHECK(std::string(e.what()) ==
            "cannot read the system journal: /run/log/journal and /var/log/journal hold no system journal file");
    }
  }
}

// --- application logins on the real servers --------------------------------------

namespace {

struct Server {
  ops::db::Engine engine;
  const char* dsn_env;
  const char* password_env;
};

struct AppTable {
  std::unique_ptr<ops::db::Connection> db;
  std::string table;
  AppTable(const Server& server, std::string_view columns) {
    ops::db::ConnectOptions options;
    static ops::Warnings warnings;
    options.warnings = &warnings;
    options.password_file = required_env(server.password_env);
    db = ops::db::connect(ops::db::parse_dsn(required_env(server.dsn_env)), options);
    table = fmt::format("ops_audit_security_event_{}", ::getpid());
    db->execute("DROP TABLE IF EXISTS " + table);
    db->execute(fmt::format("CREATE TABLE {} ({})", table, columns));
  }
  ~AppTable() {
    try {
      db->execute("DROP TABLE IF EXISTS " + table);
    } catch (...) {
    }
  }
  AppTable(const AppTable&) = delete;
  AppTable& operator=(const AppTable&) = delete;
};

// An ops.conf with the server as [db.app] and one [audit.NAME] per query.
ops::Config config_for(const Server& server, const std::vector<std::pair<std::string, std::string>>& audits,
                       const std::string& extra = {}) {
  std::string text = fmt::format("[db.app]\ndsn = {}\npassword_file = {}\n", required_env(server.dsn_env),
                                 required_env(server.password_env));
  for (const auto& [name, sql] : audits) text += fmt::format("\n[audit.{}]\ndb = app\nsql = {}\n", name, sql);
  return ops::Config::parse("/etc/ops/ops.conf", text + extra);
}

const AppLoginSource& source_named(const std::vector<AppLoginSource>& sources, const std::string& name) {
  for (const AppLoginSource& s : sources)
    if (s.name == name) return s;
  FAIL("no source " << name);
  throw std::logic_error("unreachable");
}

std::vector<AuthEvent> events_of(const ops::Config& config, const AppLoginSource& source, ops::SysTime since,
                                 AppLoginCounts* counts = nullptr) {
  std::vector<AuthEvent> events;
  AppLoginCounts c = read_app_logins_counted(config, source, since, [&](const AuthEvent& e) { events.push_back(e); });
  if (counts) *counts = c;
  return events;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ops::Error& e) {
    return e.what();
  }
  FAIL("expected an ops::Error");
  return {};
}

// OPS_NOW of the scenario; the rows are at times before it.
const ops::SysTime kNow = ops::parse_time("2026-12-06T12:00:00Z");
const ops::SysTime kSince = kNow - std::chrono::days(7);

void check_events(const std::vector<AuthEvent>& events, const std::string& source) {
  REQUIRE(events.size() == 4);
  // Three failures of admin from 203.0.113.9, then its success: in the order of the query.
  for (int i = 0; i < 3; ++i) {
    CHECK_FALSE(events[i].success);
    CHECK(events[i].address == "203.0.113.9");
    CHECK(events[i].user == "admin");
  }
  CHECK(events[0].time == at("2026-12-05T22:14:00Z"));
  CHECK(events[2].time == at("2026-12-05T22:16:00Z"));
  CHECK(events[3].success);
  CHECK(events[3].time == at("2026-12-05T22:17:30Z"));
  for (const AuthEvent& e : events) {
    CHECK(e.method == "app");
    CHECK(e.source == source);
  }
}

const char* kRows =
    "('2026-11-20 09:00:00', '198.51.100.7', 'alice', 'AUTH_FAILURE'),"  // 16 days before OPS_NOW
    "('2026-12-05 22:14:00', '203.0.113.9', 'admin', 'AUTH_FAILURE'),"
    "('2026-12-05 22:15:00', '203.0.113.9', 'admin', 'AUTH_FAILURE'),"
    "('2026-12-05 22:16:00', '203.0.113.9', 'admin', 'AUTH_FAILURE'),"
    "('2026-12-05 22:17:30', '203.0.113.9', 'admin', 'AUTH_SUCCESS'),"
    "('2026-12-06 08:00:00', '192.0.2.4', 'bob', 'LOGOUT')";

}  // namespace

TEST_CASE("audit sources: SecurityEvent rows on PostgreSQL and MariaDB") {
  for (const Server& server : {Server{ops::db::Engine::postgresql, "OPS_TEST_PG_DSN", "OPS_TEST_PG_PASSWORD_FILE"},
                               Server{ops::db::Engine::mysql, "OPS_TEST_MYSQL_DSN", "OPS_TEST_MYSQL_PASSWORD_FILE"}}) {
    const bool pg = server.engine == ops::db::Engine::postgresql;
    SECTION(std::string(ops::db::engine_name(server.engine))) {
      // timestamptz and MariaDB's TIMESTAMP are printed in the session's zone,
      // which read_app_logins sets to UTC; naive DATETIME is read as UTC.
      AppTable app(server, pg ? "created_at timestamptz, naive timestamp, ip text, username text, event text"
                              : "created_at TIMESTAMP NULL, naive DATETIME, ip TEXT, username TEXT, event TEXT");
      // The server's own zone is not UTC for this session: what is written
      // with an offset must come back at the same instant.
      app.db->execute(pg ? "SET TIME ZONE 'Europe/Berlin'" : "SET time_zone = '+01:00'");
      app.db->execute(fmt::format("INSERT INTO {} (created_at, ip, username, event) VALUES {}", app.table, kRows));
      app.db->execute(fmt::format("UPDATE {} SET naive = created_at", app.table));  // local (+01:00) wall time
      const std::string t = app.table;
      ops::Config config = config_for(
          server,
          {{"casework", fmt::format("SELECT created_at, ip, username, event = 'AUTH_SUCCESS' FROM {} "
                                    "WHERE event LIKE 'AUTH_%' ORDER BY created_at",
                                    t)},
           {"epoch", pg ? fmt::format("SELECT extract(epoch FROM created_at), ip, username, "
                                      "CASE WHEN event = 'AUTH_SUCCESS' THEN 'success' ELSE 'failure' END "
                                      "FROM {} WHERE event LIKE 'AUTH_%' ORDER BY created_at",
                                      t)
                        : fmt::format("SELECT UNIX_TIMESTAMP(created_at), ip, username, "
                                      "IF(event = 'AUTH_SUCCESS', 'yes', 'no') "
                                      "FROM {} WHERE event LIKE 'AUTH_%' ORDER BY created_at",
                                      t)},
           {"naive", fmt::format("SELECT naive, ip, username, event = 'AUTH_SUCCESS' FROM {} "
                                 "WHERE event LIKE 'AUTH_%' ORDER BY created_at",
                                 t)},
           {"flags", fmt::format("SELECT created_at, ip, username, event FROM {} ORDER BY created_at", t)},
           {"writes", pg ? fmt::format("DELETE FROM {} RETURNING created_at, ip, username, true", t)
                         : fmt::format("DELETE FROM {}", t)},
           {"badsql", "SELECT created_at, ip, username, ok FROM no_such_table_ops_audit"},
           {"three", fmt::format("SELECT created_at, ip, username FROM {}", t)}});
      std::vector<AppLoginSource> sources = app_login_sources(config);
      REQUIRE(sources.size() == 7);
      CHECK(source_named(sources, "casework").where == "/etc/ops/ops.conf:5");

      // The rows were written at +01:00: 22:14 there is 21:14Z.
      AppLoginCounts counts;
      std::vector<AuthEvent> events = events_of(config, source_named(sources, "casework"), kSince, &counts);
      REQUIRE(events.size() == 4);
      CHECK(events[0].time == at("2026-12-05T21:14:00Z"));
      CHECK(events[3].time == at("2026-12-05T21:17:30Z"));
      CHECK(counts.before_since == 1);  // alice's of November 20
      CHECK(counts.unreadable == 0);

      // Seconds since the epoch and the words success/failure, yes/no: the same instants.
      std::vector<AuthEvent> by_epoch = events_of(config, source_named(sources, "epoch"), kSince);
      REQUIRE(by_epoch.size() == 4);
      for (std::size_t i = 0; i < 4; ++i) {
        CHECK(by_epoch[i].time == events[i].time);
        CHECK(by_epoch[i].success == events[i].success);
      }
      // A column without zone is taken as UTC: the +01:00 wall time as written.
      check_events(events_of(config, source_named(sources, "naive"), kSince), "app naive");

      // Unreadable flags (LOGOUT, AUTH_FAILURE as a word) are counted and the first named.
      std::vector<AuthEvent> flagged = events_of(config, source_named(sources, "flags"), kSince, &counts);
      CHECK(flagged.empty());
      CHECK(counts.unreadable == 6);
      CHECK(app_login_note(source_named(sources, "flags"), counts) ==
            "[audit.flags] (/etc/ops/ops.conf:17): 6 rows not understood, the first at row 1: "
            "succeeded 'AUTH_FAILURE' is not true/false, t/f, 1/0, yes/no or success/failure");

      // Read-only: the DELETE is refused by the server and every row is still there.
      CHECK_THAT(error_of([&] { events_of(config, source_named(sources, "writes"), kSince); }),
                 Catch::StartsWith("[audit.writes] (/etc/ops/ops.conf:21): SQL error on ") &&
                     Catch::Contains("read", Catch::CaseSensitive::No) && Catch::Contains("only", Catch::CaseSensitive::No));
      CHECK(app.db->query_value("SELECT count(*) FROM " + t) == "6");

      CHECK_THAT(error_of([&] { events_of(config, source_named(sources, "badsql"), kSince); }),
                 Catch::StartsWith("[audit.badsql] (/etc/ops/ops.conf:25): SQL error on ") &&
                     Catch::Contains("no_such_table_ops_audit"));
      CHECK(error_of([&] { events_of(config, source_named(sources, "three"), kSince); }) ==
            "[audit.three] (/etc/ops/ops.conf:29): the query gives 3 columns, not the 4 it must: "
            "time, address, user, succeeded");
    }
  }
}

TEST_CASE("audit sources: a database that does not answer is an error naming the source") {
  // A port nothing listens on: bound, then closed.
  int port = 0;
  {
    std::string out = (scratch() / "port").string();
    REQUIRE(shell("python3 -c 'import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); "
                  "print(s.getsockname()[1])' >" + out) == 0);
    port = std::stoi(slurp(out));
  }
  for (const char* scheme : {"postgresql", "mysql"}) {
    INFO(scheme);
    std::string text = fmt::format("[audit.down]\ndb = {}://ops@127.0.0.1:{}/app\nsql = SELECT 1, 2, 3, 4\n", scheme, port);
    ops::Config config = ops::Config::parse("/etc/ops/ops.conf", text);
    std::vector<AppLoginSource> sources = app_login_sources(config);
    REQUIRE(sources.size() == 1);
    try {
      events_of(config, sources[0], kSince);
      FAIL("no error");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::critical);
      CHECK_THAT(std::string(e.what()),
                 Catch::StartsWith(fmt::format("[audit.down] (/etc/ops/ops.conf:1): cannot connect to {}://ops@127.0.0.1:{}/app",
                                               scheme, port)));
    }
  }
}
