// opsaudit logs: the message of a log line with its timestamp and process id
// taken off and what changes between occurrences masked — the group key of
// the top messages. Each case is a line as the writer writes it.
#include "opsaudit/logs/message_mask.hpp"

#include <catch2/catch.hpp>

#include <string>

using opsaudit::mask_values;
using opsaudit::masked_message;
using opsaudit::message_text;

TEST_CASE("the timestamp and process id are not part of the message") {
  // Django's verbose format: level, time, module; the process and thread ids masked.
  CHECK(message_text("ERROR 2026-12-03 10:05:11,482 log 3100 140100 Internal Server Error: /x/") ==
        "ERROR log 3100 140100 Internal Server Error: /x/");
  // Python logging's default with a time in front.
  CHECK(message_text("2026-12-06 09:12:01,123 ERROR django.request: Not Found: /favicon.ico") ==
        "ERROR django.request: Not Found: /favicon.ico");
  CHECK(message_text("2026-12-06T09:12:01.123456+01:00 web1 gunicorn[812]: Worker exiting") ==
        "web1 gunicorn: Worker exiting");
  // gunicorn's error log.
  CHECK(message_text("[2026-12-06 09:12:01 +0000] [812] [CRITICAL] WORKER TIMEOUT (pid:4121)") ==
        "[CRITICAL] WORKER TIMEOUT (pid:4121)");
  // syslog: the host and prog[PID].
  CHECK(message_text("Dec  6 09:12:01 web1 php-fpm[812]: [WARNING] [pool www] server reached max_children") ==
        "php-fpm: [WARNING] [pool www] server reached max_children");
  // nginx: PID#TID: *CONNECTION.
  CHECK(message_text("2026/12/05 14:01:02 [error] 1234#1234: *5678 connect() failed (111: Connection refused)") ==
        "[error] connect() failed (111: Connection refused)");
  // Apache: [pid N:tid M].
  CHECK(message_text("[Sat Dec 05 17:05:00.000001 2026] [core:alert] [pid 4243:tid 140012346] [client "
                     "198.51.100.7:40000] Invalid command") == "[core:alert] [client 198.51.100.7:40000] Invalid command");
  // PHP's error_log, and PHP-FPM's own log relaying a worker's stderr.
  CHECK(message_text("[05-Dec-2026 09:00:01 UTC] PHP Warning:  Undefined array key") ==
        "PHP Warning:  Undefined array key");
  CHECK(message_text("[05-Dec-2026 09:00:01 Europe/Berlin] PHP Notice:  x") == "PHP Notice:  x");
  CHECK(message_text("[05-Dec-2026 11:00:05] WARNING: [pool www] child 2211 said into stderr: \"NOTICE: PHP "
                     "message: PHP Fatal error:  Uncaught Exception: boom\"") ==
        "WARNING: [pool www] child said into stderr: NOTICE: PHP message: PHP Fatal error:  Uncaught Exception: boom");
  // A line with no timestamp keeps what it has.
  CHECK(message_text("  File \"/srv/app/views.py\", line 12, in index") == "File \"/srv/app/views.py\", line 12, in index");
}

TEST_CASE("numbers, ids and hex are masked; words with a digit or two are kept") {
  CHECK(mask_values("Case 8812 not found") == "Case <n> not found");
  CHECK(mask_values("took 3.14 seconds, retry 2 of 5") == "took <n> seconds, retry <n> of <n>");
  CHECK(mask_values("Apache/2.4.62 (Debian)") == "Apache/<n> (Debian)");
  CHECK(mask_values("request id req_7Hq2kLx9Pz failed") == "request id <id> failed");
  CHECK(mask_values("session a1b2c3d4e5f6a7b8 expired") == "session <hex> expired");
  CHECK(mask_values("commit 9fceb02 reverted") == "commit <hex> reverted");  // git's short hash
  CHECK(mask_values("decade and bead42") == "decade and bead42");          // no digit, or too short
  CHECK(mask_values("segfault at 0x7f3a2c001000 ip 0x00005581") == "segfault at <hex> ip <hex>");
  CHECK(mask_values("utf8mb4 and sha256 and HTTP_HOST") == "utf8mb4 and sha256 and HTTP_HOST");
  CHECK(mask_values("wrote 10MB in 2xx responses") == "wrote <n>MB in <n>xx responses");
  CHECK(mask_values("order #4471 of user_id=93") == "order #<n> of user_id=<n>");
  CHECK(mask_values("SQLSTATE[HY000] [2002] Connection refused") == "SQLSTATE[HY000] [<n>] Connection refused");
  CHECK(mask_values("error:0A00006C:SSL routines::bad key share") == "error:<hex>:SSL routines::bad key share");
  CHECK(mask_values("Feed::add() and Db::query()") == "Feed::add() and Db::query()");  // not IPv6
}

TEST_CASE("UUIDs, addresses, e-mail addresses, URLs, times and dates") {
  CHECK(mask_values("visit 550e8400-e29b-41d4-a716-446655440000 locked") == "visit <uuid> locked");
  CHECK(mask_values("client: 203.0.113.9, server: 0.0.0.0:443") == "client: <ip>, server: <ip>");
  CHECK(mask_values("[client 198.51.100.7:40000] denied") == "[client <ip>] denied");
  CHECK(mask_values("from 2001:db8::1 and fe80::1ff:fe23:4567:890a and ::1") == "from <ip> and <ip> and <ip>");
  CHECK(mask_values("1.2.3.4.5 is no address") == "<n> is no address");
  CHECK(mask_values("Failed to send reminder to dr.who@example.org: SMTP 451") ==
        "Failed to send reminder to <email>: SMTP <n>");
  CHECK(mask_values("mail to <a.b+cases@mail.example.org>.") == "mail to <<email>>.");
  CHECK(mask_values("referer: https://cases.example.org/case/12?tab=notes") == "referer: <url>");
  CHECK(mask_values("upstream timed out at 09:12:01.123 on 2026-12-05") == "upstream timed out at <time> on <date>");
  CHECK(mask_values("cron ran 2026/12/05 and 05-Dec-2026") == "cron ran <date> and <date>");
  CHECK(mask_values("ratio 12:34 kept") == "ratio <n>:<n> kept");  // no seconds: not a time
}

TEST_CASE("paths, where a path can start") {
  CHECK(mask_values("Internal Server Error: /patients/1042/visits/") == "Internal Server Error: <path>");
  CHECK(mask_values("Undefined variable $user in /var/www/cases/public/profile.php on line 7") ==
        "Undefined variable $user in <path> on line <n>");
  CHECK(mask_values("Uncaught Exception: boom in /var/www/cases/x.php:3") == "Uncaught Exception: boom in <path>:<n>");
  CHECK(mask_values("include(/var/www/tpl/header.php): Failed to open stream") ==
        "include(<path>): Failed to open stream");
  CHECK(mask_values("open() \"/srv/www/favicon.ico\" failed") == "open() \"<q>\" failed");
  CHECK(mask_values("see ~/logs/x.log and ./run.sh and ../etc/app.ini.") == "see <path> and <path> and <path>.");
  CHECK(mask_values("I/O error and/or n/a") == "I/O error and/or n/a");
  CHECK(mask_values("GET / HTTP/1.1") == "GET / HTTP/<n>");
}

TEST_CASE("quoted values: a value is masked whole, a quoted sentence inside") {
  CHECK(mask_values("Invalid HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to ALLOWED_HOSTS.") ==
        "Invalid HTTP_HOST header: '<q>'. You may need to add '<q>' to ALLOWED_HOSTS.");
  CHECK(mask_values("relation \"patients_visit\" does not exist") == "relation \"<q>\" does not exist");
  CHECK(mask_values("invalid literal for int() with base 10: 'abc'") == "invalid literal for int() with base <n>: '<q>'");
  CHECK(mask_values("request: \"GET /case/881 HTTP/1.1\", host: \"cases.example.org\"") ==
        "request: \"GET <path> HTTP/<n>\", host: \"<q>\"");
  CHECK(mask_values("Got error 'PHP message: Case 12 not found in /x.php:3'") ==
        "Got error 'PHP message: Case <n> not found in <path>:<n>'");
  CHECK(mask_values("can't connect, don't retry") == "can't connect, don't retry");  // apostrophes
  CHECK(mask_values("value \"\" and an unclosed \"quote") == "value \"\" and an unclosed \"quote");
  CHECK(mask_values(R"(said "a \"b\" c" then)") == R"(said "a \"b\" c" then)");
}

TEST_CASE("two occurrences of one error are one message") {
  const char* pairs[][2] = {
      {"2026/12/05 14:01:02 [error] 1234#1234: *5678 connect() failed (111: Connection refused) while connecting to "
       "upstream, client: 203.0.113.9, server: cases.example.org, request: \"GET /case/881 HTTP/1.1\"",
       "2026/12/05 14:01:09 [error] 1235#1235: *5690 connect() failed (111: Connection refused) while connecting to "
       "upstream, client: 198.51.100.23, server: cases.example.org, request: \"GET /case/12/notes HTTP/1.1\""},
      {"ERROR 2026-11-30 08:15:02,311 mail 3001 140001 Failed to send reminder to dr.smith@example.org: SMTP 451",
       "ERROR 2026-12-06 11:30:00,000 mail 3200 140202 Failed to send reminder to a.b@example.org: SMTP 451"},
      {"[05-Dec-2026 09:10:00 UTC] PHP Warning:  include(/var/www/cases/tpl/header.php): Failed to open stream",
       "[05-Dec-2026 10:10:00 UTC] PHP Warning:  include(/var/www/cases/tpl/footer.php): Failed to open stream"},
      {"Dec  6 09:12:01 web1 app[812]: job 550e8400-e29b-41d4-a716-446655440000 failed after 3 tries",
       "Dec  6 10:00:59 web2 app[9913]: job 7c9e6679-7425-40de-944b-e07fc1f90ae7 failed after 12 tries"},
      {"[Sat Dec 05 17:00:01.123456 2026] [php:error] [pid 4242:tid 140012345] [client 203.0.113.9:51234] PHP Fatal "
       "error:  Uncaught Exception: boom in /var/www/cases/x.php:3",
       "[Sun Dec 06 08:00:00.5 2026] [php:error] [pid 17:tid 99] [client 192.0.2.1:1] PHP Fatal error:  Uncaught "
       "Exception: boom in /var/www/cases/y.php:30"},
  };
  for (const auto& pair : pairs) {
    CAPTURE(pair[0], pair[1]);
    CHECK(masked_message(pair[0]) == masked_message(pair[1]));
  }
  // Different errors stay apart.
  CHECK(masked_message("ERROR 2026-12-06 11:30:00,000 x 1 2 Failed to send reminder") !=
        masked_message("ERROR 2026-12-06 11:30:00,000 x 1 2 Failed to send invoice"));
}

TEST_CASE("whitespace is collapsed and a long line makes a short key") {
  CHECK(mask_values("PHP Warning:  Undefined   variable\t$x  ") == "PHP Warning: Undefined variable $x");
  const std::string huge = "ERROR 2026-12-06 09:00:00,000 " + std::string(1 << 20, 'x');
  const std::string key = masked_message(huge);
  CHECK(key.size() <= opsaudit::kMaskedBytes + 3);
  CHECK(key.substr(0, 7) == "ERROR x");
  const std::string many_numbers = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += std::to_string(i) + " ";
    return s;
  }();
  CHECK(mask_values(many_numbers).substr(0, 11) == "<n> <n> <n>");
}
