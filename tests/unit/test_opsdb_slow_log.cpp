// opsdb slow --log: MySQL's and MariaDB's slow query log read entry by
// entry, as each server writes it (the MariaDB 10.11 entries as the test
// server wrote them).
#include "opsdb/slow/slow_log.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using opsdb::SlowLogEntry;
using opsdb::SlowLogParser;

namespace {

std::vector<SlowLogEntry> parse(const std::string& text, std::uint64_t* skipped = nullptr) {
  std::vector<SlowLogEntry> entries;
  SlowLogParser parser([&](SlowLogEntry&& e) { entries.push_back(std::move(e)); });
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) parser.line(line);
  parser.finish();
  if (skipped) *skipped = parser.skipped();
  return entries;
}

}  // namespace

TEST_CASE("slow log: MariaDB entries, with and without a # Time line") {
  const auto e = parse(
      "/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
      "Tcp port: 21411  Unix socket: /run/mysqld/mysqld.sock\n"
      "Time\t\t    Id Command\tArgument\n"
      "# Time: 261206 18:25:22\n"
      "# User@Host: app[app] @  [127.0.0.1]\n"
      "# Thread_id: 10  Schema: shop  QC_hit: No\n"
      "# Query_time: 2.000193  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 0\n"
      "# Rows_affected: 0  Bytes_sent: 63\n"
      "SET timestamp=1796581522;\n"
      "SELECT SLEEP(2);\n"
      "# User@Host: app[app] @  [127.0.0.1]\n"
      "# Thread_id: 11  Schema:   QC_hit: No\n"
      "# Query_time: 0.5  Lock_time: 0.0  Rows_sent: 0  Rows_examined: 1000\n"
      "# Rows_affected: 3  Bytes_sent: 52\n"
      "SET timestamp=1796581523;\n"
      "UPDATE orders\n"
      "   SET state = 'paid'\n"
      "# a comment line of the statement itself\n"
      " WHERE id IN (1, 2, 3);\n");
  REQUIRE(e.size() == 2);
  CHECK(e[0].query_time == Approx(2.000193));
  CHECK(e[0].user == "app");
  CHECK(e[0].schema == "shop");
  CHECK(e[0].rows_sent == 1);
  CHECK(e[0].timestamp == 1796581522);
  CHECK(e[0].statement == "SELECT SLEEP(2);");
  CHECK(e[1].query_time == Approx(0.5));
  CHECK(e[1].rows_examined == 1000);
  CHECK(e[1].rows_affected == 3);
  CHECK(e[1].schema == "shop");  // an empty Schema: the session's database as last seen
  CHECK(e[1].statement ==
        "UPDATE orders\n   SET state = 'paid'\n# a comment line of the statement itself\n WHERE id IN (1, 2, 3);");
}

TEST_CASE("slow log: MySQL 8 entries with use and administrator commands") {
  const auto e = parse(
      "# Time: 2026-12-06T18:00:00.123456Z\n"
      "# User@Host: root[root] @ localhost []  Id:     8\n"
      "# Query_time: 1.250000  Lock_time: 0.000100 Rows_sent: 10  Rows_examined: 20000\n"
      "use `crm`;\n"
      "SET timestamp=1796580000;\n"
      "SELECT * FROM cases WHERE owner = 'x';\n"
      "# Time: 2026-12-06T18:00:01.000000Z\n"
      "# User@Host: root[root] @ localhost []  Id:     8\n"
      "# Query_time: 0.000050  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 0\n"
      "SET timestamp=1796580001;\n"
      "# administrator command: Quit;\n");
  REQUIRE(e.size() == 2);
  CHECK(e[0].schema == "crm");
  CHECK(e[0].rows_examined == 20000);
  CHECK(e[0].statement == "SELECT * FROM cases WHERE owner = 'x';");
  CHECK(e[1].schema == "crm");  // "use" is written only when the database changes
  CHECK(e[1].statement == "administrator command: Quit");
}

TEST_CASE("slow log: a log read from its middle, cut, or not a slow log") {
  std::uint64_t skipped = 0;
  // The tail of an entry before the first header is not an entry.
  auto e = parse("WHERE id = 1;\n# User@Host: a[a] @ localhost []\n# Query_time: 1  Rows_sent: 0\nSELECT 1;\n"
                 "# User@Host: a[a] @ localhost []\n# Query_time: 3\n",
                 &skipped);
  REQUIRE(e.size() == 1);
  CHECK(e[0].statement == "SELECT 1;");
  CHECK(skipped == 0);  // the last header without a statement: the log was cut there
  // Statements without a Query_time are counted, not invented.
  e = parse("# User@Host: a[a] @ localhost []\nSELECT 1;\n", &skipped);
  CHECK(e.empty());
  CHECK(skipped == 1);
  // A restart's banner ends an entry.
  e = parse("# User@Host: a[a] @ localhost []\n# Query_time: 1\nSELECT 1;\n"
            "/usr/sbin/mysqld, Version: 8.0.36 (MySQL). started with:\nSELECT 2;\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].statement == "SELECT 1;");
  // CRLF line ends.
  e = parse("# User@Host: a[a] @ localhost []\r\n# Query_time: 1\r\nSELECT 1;\r\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].statement == "SELECT 1;");
}

TEST_CASE("slow log: a statement is kept to kStatementBytes") {
  const std::string big(3 * opsdb::kStatementBytes, 'x');
  const auto e = parse("# User@Host: a[a] @ localhost []\n# Query_time: 1\nSELECT '" + big + "';\nSELECT 2;\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].statement.size() <= opsdb::kStatementBytes + 1);
}
