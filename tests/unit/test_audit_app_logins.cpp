// opsaudit logins, application sources: the values of the four columns as
// the databases print them, and read_app_logins on a SQLite file (PostgreSQL
// and MariaDB: tests/integration/opsaudit_sources_test.cpp).
#include "opsaudit/logins/app_login_values.hpp"
#include "opsaudit/logins/app_logins.hpp"

#include "error_support.hpp"
#include "support.hpp"

#include <ops/db.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace opsaudit;

namespace {

ops::SysTime at(const char* text) { return ops::parse_time(text); }

}  // namespace

TEST_CASE("audit app logins: timestamps as PostgreSQL, MariaDB and SQLite print them") {
  CHECK(app_login_time("2026-12-06 09:12:01") == at("2026-12-06T09:12:01Z"));  // no zone: UTC, the session's
  CHECK(app_login_time("2026-12-06T09:12:01Z") == at("2026-12-06T09:12:01Z"));
  CHECK(app_login_time("2026-12-06 09:12:01.123456") == at("2026-12-06T09:12:01Z"));  // DATETIME(6): fraction dropped
  CHECK(app_login_time("2026-12-06 09:12:01.5+00") == at("2026-12-06T09:12:01Z"));   // timestamptz
  CHECK(app_login_time("2026-12-06 10:12:01+01") == at("2026-12-06T09:12:01Z"));
  CHECK(app_login_time("2026-12-06 04:42:01-04:30") == at("2026-12-06T09:12:01Z"));
  CHECK(app_login_time("2026-12-06 10:12:01+0100") == at("2026-12-06T09:12:01Z"));
  CHECK(app_login_time("2026-12-06") == at("2026-12-06T00:00:00Z"));
  CHECK(app_login_time(" 2026-12-06 09:12:01 ") == at("2026-12-06T09:12:01Z"));
}

TEST_CASE("audit app logins: seconds since the epoch") {
  CHECK(app_login_time("1764998400") == at("2025-12-06T05:20:00Z"));
  CHECK(app_login_time("1764998400.750000") == at("2025-12-06T05:20:00Z"));  // EXTRACT(EPOCH …)
  CHECK(app_login_time("0") == at("1970-01-01T00:00:00Z"));
  // Milliseconds (year 57,000) are not seconds: unreadable, not a time far ahead.
  CHECK_FALSE(app_login_time("1764998400000"));
}

TEST_CASE("audit app logins: what is no time") {
  for (const char* text : {"", "   ", "infinity", "-infinity", "0000-00-00 00:00:00", "2026-13-01 00:00:00",
                           "2026-12-06 25:00:00", "yesterday", "1764998400.", "12.5.2026", "-5",
                           "2026-12-06 09:12:01 UTC", "2026-12-06 09:12:01+01:00:00", "2026-12-06 09:12:01.",
                           "\x01\xff binary"}) {
    INFO(text);
    CHECK_FALSE(app_login_time(text));
  }
}

TEST_CASE("audit app logins: the succeeded column") {
  for (const char* yes : {"true", "TRUE", "t", "1", "yes", "Yes", "success", "SUCCESS", " t "}) {
    INFO(yes);
    CHECK(app_login_success(yes) == true);
  }
  for (const char* no : {"false", "f", "F", "0", "no", "failure", "Failure"}) {
    INFO(no);
    CHECK(app_login_success(no) == false);
  }
  for (const char* bad : {"", "maybe", "2", "-1", "AUTH_FAILURE", "ok", "truee", "success!"}) {
    INFO(bad);
    CHECK_FALSE(app_login_success(bad).has_value());
  }
}

namespace {

struct SqliteSource {
  ops::test::TempDir dir{"audit-app-logins"};
  std::string dsn;
  std::unique_ptr<ops::db::Connection> db;

  SqliteSource() {
    dsn = "sqlite://" + (dir.path() / "app.db").string();
    db = ops::db::connect(ops::db::parse_dsn(dsn + "?mode=rwc"));
    db->execute("CREATE TABLE SecurityEvent (created_at, ip TEXT, username TEXT, event TEXT)");
  }
  void add(const char* time, const char* ip, const char* user, const char* event) {
    db->execute("INSERT INTO SecurityEvent VALUES (?, ?, ?, ?)", {time, ip, user, event});
  }
  AppLoginSource source(const std::string& sql) const { return {"casework", dsn, sql, "/etc/ops/ops.conf:12"}; }
};

const char* kSql = "SELECT created_at, ip, username, event = 'AUTH_SUCCESS' FROM SecurityEvent ORDER BY rowid";

}  // namespace

TEST_CASE("audit app logins: rows of a SQLite table become events, in order, from `since` on") {
  SqliteSource app;
  app.add("2026-11-20 10:00:00", "198.51.100.7", "alice", "AUTH_FAILURE");  // before since
  app.add("2026-12-01 10:00:00", "203.0.113.9", "admin", "AUTH_FAILURE");
  app.add("1764998400", "203.0.113.9", "admin", "AUTH_SUCCESS");  // 2025: before since, as epoch seconds
  app.add("2026-12-02 11:30:00", "203.0.113.9", "admin", "AUTH_SUCCESS");
  app.add("2026-12-03 00:00:00", nullptr, nullptr, "AUTH_FAILURE");  // the app kept no address or user
  app.add("not a date", "203.0.113.9", "x", "AUTH_FAILURE");         // unreadable: row 6

  std::vector<AuthEvent> events;
  ops::Config config;
  AppLoginCounts counts = read_app_logins_counted(config, app.source(kSql), at("2026-11-29T00:00:00Z"),
                                                  [&](const AuthEvent& e) { events.push_back(e); });
  REQUIRE(events.size() == 3);
  CHECK(events[0].time == at("2026-12-01T10:00:00Z"));
  CHECK_FALSE(events[0].success);
  CHECK(events[0].address == "203.0.113.9");
  CHECK(events[0].user == "admin");
  CHECK(events[0].method == "app");
  CHECK(events[0].source == "app casework");
  CHECK_FALSE(events[0].invalid_user);
  CHECK(events[1].success);
  CHECK(events[2].address.empty());
  CHECK(events[2].user.empty());
  CHECK(counts.events == 3);
  CHECK(counts.before_since == 2);
  CHECK(counts.unreadable == 1);
  CHECK(counts.first_unreadable_row == 6);
  CHECK(app_login_note(app.source(kSql), counts) ==
        "[audit.casework] (/etc/ops/ops.conf:12): 1 row not understood, the first at row 6: "
        "time 'not a date' is not a time");
  // The plain entry point returns the unreadable count.
  CHECK(read_app_logins(config, app.source(kSql), at("2026-11-29T00:00:00Z"), [](const AuthEvent&) {}) == 1);
}

TEST_CASE("audit app logins: a bad succeeded value is counted and named, the other rows still read") {
  SqliteSource app;
  app.add("2026-12-01 10:00:00", "203.0.113.9", "admin", "maybe");
  app.add("2026-12-01 10:00:01", "203.0.113.9", "admin", "failure");
  app.add("2026-12-01 10:00:02", "203.0.113.9", "admin", nullptr);
  std::size_t n = 0;
  ops::Config config;
  AppLoginCounts counts = read_app_logins_counted(
      config, app.source("SELECT created_at, ip, username, event FROM SecurityEvent ORDER BY rowid"),
      at("2026-11-29T00:00:00Z"), [&](const AuthEvent&) { ++n; });
  CHECK(n == 1);
  CHECK(counts.unreadable == 2);
  CHECK(app_login_note(app.source(""), counts) ==
        "[audit.casework] (/etc/ops/ops.conf:12): 2 rows not understood, the first at row 1: "
        "succeeded 'maybe' is not true/false, t/f, 1/0, yes/no or success/failure");
  CHECK(app_login_note(app.source(""), AppLoginCounts{}).empty());
}

TEST_CASE("audit app logins: the query runs read-only, and its errors name the source") {
  SqliteSource app;
  app.add("2026-12-01 10:00:00", "203.0.113.9", "admin", "AUTH_FAILURE");
  ops::Config config;
  auto none = [](const AuthEvent&) {};
  const ops::SysTime since = at("2026-11-29T00:00:00Z");
  // A write is refused (query_only), and nothing was changed.
  CHECK_THROWS_WITH(read_app_logins(config, app.source("DELETE FROM SecurityEvent RETURNING created_at, ip, username, 1"),
                                    since, none),
                    Catch::StartsWith("[audit.casework] (/etc/ops/ops.conf:12): SQL error on sqlite://") &&
                        Catch::Contains("readonly"));
  CHECK(app.db->query_value("SELECT count(*) FROM SecurityEvent") == "1");
  CHECK_THROWS_WITH(read_app_logins(config, app.source("SELECT created_at FROM NoSuchTable"), since, none),
                    Catch::StartsWith("[audit.casework] (/etc/ops/ops.conf:12): SQL error") &&
                        Catch::Contains("no such table: NoSuchTable"));
  CHECK_THROWS_WITH(read_app_logins(config, app.source("SELECT created_at, ip, username FROM SecurityEvent"), since, none),
                    "[audit.casework] (/etc/ops/ops.conf:12): the query gives 3 columns, not the 4 it must: "
                    "time, address, user, succeeded");
  // The command line's source is named by its --db.
  AppLoginSource cli{"--db", "nosuchdb", kSql, ""};
  ops::Error unknown = ops::test::error_from([&] { read_app_logins(config, cli, since, none); });
  CHECK(unknown.status() == ops::Status::unknown);  // bad usage stays bad usage: exit 3
  CHECK_THAT(unknown.what(), Catch::StartsWith("--db nosuchdb: unknown database 'nosuchdb'"));
  // Its events are named by the database.
  AppLoginSource by_dsn{"--db", app.dsn, kSql, ""};
  std::string source;
  read_app_logins(config, by_dsn, since, [&](const AuthEvent& e) { source = e.source; });
  CHECK(source == "app " + app.dsn);
}
