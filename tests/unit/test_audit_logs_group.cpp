// opsaudit logs: events (a trace counted once, frames stamped line by line
// joined to their line), their group key, the critical level, and the tally
// that counts them per hour and per group with a bounded number of groups.
#include "opsaudit/logs/error_tally.hpp"
#include "opsaudit/logs/log_events.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <chrono>

using namespace std::chrono;
using opsaudit::critical_level;
using opsaudit::event_key;

namespace {

ops::SysTime at(unsigned d, int h, int mi, int s = 0) {
  return ops::SysTime{sys_days{year{2026} / month{12} / day{d}}} + hours{h} + minutes{mi} + seconds{s};
}

ops::LogRecord record(const std::string& file, ops::SysTime t, std::vector<std::string> lines) {
  return ops::LogRecord{file, t, std::move(lines)};
}

std::vector<ops::LogRecord> join(const std::vector<ops::LogRecord>& newest_first) {
  std::vector<ops::LogRecord> events;
  opsaudit::EventJoiner joiner([&](const ops::LogRecord& e) { events.push_back(e); });
  for (const auto& r : newest_first) joiner.add(r);
  joiner.finish();
  return events;
}

}  // namespace

TEST_CASE("frames stamped line by line are frames, not events") {
  using opsaudit::continues_above;
  CHECK(continues_above("[05-Dec-2026 09:10:00 UTC] PHP Stack trace:"));
  CHECK(continues_above("[05-Dec-2026 09:10:00 UTC] PHP   1. {main}() /var/www/cases/public/index.php:0"));
  CHECK(continues_above("[05-Dec-2026 09:10:00 UTC] PHP  12. Template->render() /var/www/x.php:30"));
  CHECK(continues_above("[05-Dec-2026 11:00:05] WARNING: [pool www] child 2211 said into stderr: \"Stack trace:\""));
  CHECK(continues_above("[05-Dec-2026 11:00:05] WARNING: [pool www] child 2211 said into stderr: \"#0 /x.php(30): "
                        "C->show(8812)\""));
  CHECK(continues_above("[05-Dec-2026 11:00:05] WARNING: [pool www] child 2211 said into stderr: \"#1 {main}\""));
  CHECK(continues_above("[05-Dec-2026 11:00:05] WARNING: [pool www] child 2211 said into stderr: \"  thrown in "
                        "/var/www/cases/lib/Cases.php on line 88\""));
  CHECK_FALSE(continues_above("[05-Dec-2026 09:10:00 UTC] PHP Warning:  include(): Failed to open stream"));
  CHECK_FALSE(continues_above("[05-Dec-2026 11:00:05] WARNING: [pool www] child 2211 said into stderr: \"NOTICE: "
                              "PHP message: PHP Fatal error:  Uncaught Exception: x\""));
  CHECK_FALSE(continues_above("2026/12/05 14:01:02 [error] 1234#1234: *5678 connect() failed"));
}

TEST_CASE("an Xdebug or PHP-FPM trace is one event with the line above it") {
  const std::string f = "/var/log/php_errors.log";
  // Newest first, as the reader hands them over.
  const auto events = join({
      record(f, at(5, 10, 10), {"[05-Dec-2026 10:10:00 UTC] PHP Notice:  x"}),
      record(f, at(5, 9, 10), {"[05-Dec-2026 09:10:00 UTC] PHP   2. Template->render() /x.php:30"}),
      record(f, at(5, 9, 10), {"[05-Dec-2026 09:10:00 UTC] PHP   1. {main}() /x.php:0"}),
      record(f, at(5, 9, 10), {"[05-Dec-2026 09:10:00 UTC] PHP Stack trace:"}),
      record(f, at(5, 9, 10), {"[05-Dec-2026 09:10:00 UTC] PHP Warning:  include(): Failed to open stream"}),
      record(f, at(5, 9, 0), {"[05-Dec-2026 09:00:00 UTC] PHP Warning:  y"}),
  });
  REQUIRE(events.size() == 3);
  CHECK(events[0].lines.size() == 1);
  REQUIRE(events[1].lines.size() == 4);
  CHECK(events[1].lines[0] == "[05-Dec-2026 09:10:00 UTC] PHP Warning:  include(): Failed to open stream");
  CHECK(events[1].lines[1] == "[05-Dec-2026 09:10:00 UTC] PHP Stack trace:");
  CHECK(events[1].lines[3] == "[05-Dec-2026 09:10:00 UTC] PHP   2. Template->render() /x.php:30");
  CHECK(events[2].lines.size() == 1);
}

TEST_CASE("frames at the head of a file are an event of their own, never joined across files") {
  const auto events = join({
      record("/l/app.log", at(5, 9, 10), {"[05-Dec-2026 09:10:00 UTC] PHP   1. {main}() /x.php:0"}),
      record("/l/app.log", at(5, 9, 10), {"[05-Dec-2026 09:10:00 UTC] PHP Stack trace:"}),
      record("/l/app.log.1", at(5, 9, 9), {"[05-Dec-2026 09:09:00 UTC] PHP Warning:  x"}),
  });
  REQUIRE(events.size() == 2);
  CHECK(events[0].file == "/l/app.log");
  CHECK(events[0].lines.size() == 2);
  CHECK(events[0].lines[0] == "[05-Dec-2026 09:10:00 UTC] PHP Stack trace:");
  CHECK(events[1].file == "/l/app.log.1");
}

TEST_CASE("a Python traceback's group names the exception that ends it") {
  const std::vector<std::string> value_error{
      "ERROR 2026-12-03 10:05:11,482 log 3100 140100 Internal Server Error: /patients/1042/visits/",
      "Traceback (most recent call last):",
      "  File \"/srv/patients/visits/views.py\", line 88, in visit_list",
      "    visit_id = int(request.GET[\"visit\"])",
      "ValueError: invalid literal for int() with base 10: 'abc'"};
  CHECK(event_key(value_error) ==
        "ERROR log <n> <n> Internal Server Error: <path> | ValueError: invalid literal for int() with base <n>: '<q>'");
  // Chained exceptions: the last one is the one raised.
  const std::vector<std::string> chained{
      "ERROR 2026-12-03 10:05:11,482 log 1 2 Internal Server Error: /x/", "Traceback (most recent call last):",
      "  File \"/a.py\", line 1, in f", "KeyError: 'visit'", "",
      "During handling of the above exception, another exception occurred:", "",
      "Traceback (most recent call last):", "  File \"/b.py\", line 2, in g",
      "django.http.response.Http404: No Visit matches the given query."};
  CHECK(event_key(chained) ==
        "ERROR log <n> <n> Internal Server Error: <path> | django.http.response.Http404: No Visit matches the given "
        "query.");
  // A PHP stack trace adds nothing to its first line.
  CHECK(event_key({"[05-Dec-2026 09:00:02 UTC] PHP Fatal error:  Uncaught PDOException: x in /a/Db.php:27",
                   "Stack trace:", "#0 {main}", "  thrown in /a/Db.php on line 27"}) ==
        "PHP Fatal error: Uncaught PDOException: x in <path>:<n>");
}

TEST_CASE("critical level: the line's level word, not a word in its message") {
  CHECK(critical_level("CRITICAL 2026-12-05 09:30:00,001 db 3200 140200 Failed to connect"));
  CHECK(critical_level("2026-12-05 09:30:00,001 CRITICAL django: x"));
  CHECK(critical_level("CRITICAL:root:disk full"));
  CHECK(critical_level("[2026-12-05 09:30:00,001] app.CRITICAL: Payment gateway down"));  // Monolog
  CHECK(critical_level("[2026-12-06 09:12:01 +0000] [812] [CRITICAL] WORKER TIMEOUT (pid:4121)"));  // gunicorn
  CHECK(critical_level("2026/12/05 15:30:00 [crit] 1234#1234: *6001 SSL_do_handshake() failed"));   // nginx
  CHECK(critical_level("2026/12/05 15:30:00 [emerg] 1234#1234: bind() to 0.0.0.0:80 failed"));
  CHECK(critical_level("[Sat Dec 05 17:05:00.000001 2026] [core:alert] [pid 1:tid 2] x"));  // Apache
  CHECK(critical_level("[05-Dec-2026 12:20:00] ALERT: [pool www] child 2400 exited on signal 11"));  // PHP-FPM
  CHECK(critical_level("Dec  6 09:12:01 web1 app[812]: EMERGENCY: out of memory"));
  CHECK_FALSE(critical_level("ERROR 2026-12-05 09:30:00,001 mail 1 2 Failed to send ALERT mail"));
  CHECK_FALSE(critical_level("2026/12/05 14:01:02 [error] 1234#1234: *5678 critical section busy"));
  CHECK_FALSE(critical_level("[05-Dec-2026 09:00:02 UTC] PHP Fatal error:  Uncaught Exception: x"));
  CHECK_FALSE(critical_level("Critical update available"));  // a bare word in lower case is not a level
  CHECK_FALSE(critical_level("[Sat Dec 05 17:05:00.000001 2026] [php:error] [pid 1:tid 2] CRITICAL x"));
}

TEST_CASE("binary lines") {
  using opsaudit::binary_line;
  CHECK(binary_line(std::string("abc\0def", 7)));
  CHECK(binary_line("\x01\x02\x7f garbage"));
  CHECK_FALSE(binary_line("ERROR\ttab and \x1b[31mcolour\x1b[0m"));
  CHECK_FALSE(binary_line("caf\xc3\xa9 and Latin-1 caf\xe9"));
}

TEST_CASE("the tally: per hour and pattern, and groups with count, first, last and the newest example") {
  ops::test::TzGuard tz("UTC");
  opsaudit::ErrorTally tally({"ERROR", "Failed to"}, 100);
  // Newest first within a file, then an older file.
  tally.add(at(6, 11, 30), {0, 1}, "mail", "line C", "app.log", false);
  tally.add(at(6, 11, 0), {0, 1}, "mail", "line B", "app.log", false);
  tally.add(at(5, 9, 30), {0}, "db", "line D", "app.log", true);
  tally.add(at(5, 9, 45), {0}, "db", "line E", "app.log", false);
  tally.add(at(5, 8, 15), {1}, "mail", "line A", "app.log.1", false);
  CHECK(tally.events() == 5);
  CHECK(tally.total(0) == 4);
  CHECK(tally.total(1) == 3);
  const std::map<std::pair<std::string, std::size_t>, std::uint64_t> hours{
      {{"2026-12-05 08:00", 1}, 1}, {{"2026-12-05 09:00", 0}, 2}, {{"2026-12-06 11:00", 0}, 2},
      {{"2026-12-06 11:00", 1}, 2}};
  CHECK(tally.hours() == hours);
  const auto ranked = tally.ranked();
  REQUIRE(ranked.size() == 2);
  CHECK(ranked[0]->message == "mail");
  CHECK(ranked[0]->count == 3);
  CHECK(ranked[0]->first == at(5, 8, 15));
  CHECK(ranked[0]->last == at(6, 11, 30));
  CHECK(ranked[0]->example == "line C");
  CHECK(ranked[1]->message == "db");
  CHECK(ranked[1]->critical == 1);
  CHECK(ranked[1]->example == "line E");  // the newest, though read after a newer one of another group
  CHECK(ranked[1]->last == at(5, 9, 45));
}

TEST_CASE("the tally keeps at most max_groups groups and counts the events of the others") {
  ops::test::TzGuard tz("UTC");
  opsaudit::ErrorTally tally({"ERROR"}, 3);
  for (int i = 0; i < 10; ++i) tally.add(at(6, 9, i), {0}, "group " + std::to_string(i % 5), "x", "f", false);
  CHECK(tally.group_count() == 3);
  CHECK(tally.unkept() == 4);  // groups 3 and 4, twice each
  CHECK(tally.events() == 10);
  CHECK(tally.total(0) == 10);  // still counted per hour
  // A long example is cut.
  tally.add(at(6, 10, 0), {0}, "group 0", std::string(5000, 'x'), "f", false);
  CHECK(tally.ranked().front()->example.size() == opsaudit::ErrorTally::kExampleBytes);
}
