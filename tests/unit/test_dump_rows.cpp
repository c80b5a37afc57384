// opsbackup's row counters read dumps as they stream by, in chunks of any
// size: the counts must not depend on where the chunks are cut.
#include "opsbackup/db/dump_rows.hpp"

#include <catch2/catch.hpp>

#include <string>

using opsbackup::MysqlInsertRowCounter;
using opsbackup::PgCopyRowCounter;
using opsbackup::TableCount;

namespace {

// Feeds `dump` cut into pieces of `piece` bytes and returns the tables.
template <typename Counter>
std::vector<TableCount> count(const std::string& dump, std::size_t piece) {
  Counter c;
  for (std::size_t at = 0; at < dump.size(); at += piece) c.feed(std::string_view(dump).substr(at, piece));
  return c.tables();
}

template <typename Counter>
void check_every_cut(const std::string& dump, const std::vector<std::pair<std::string, std::int64_t>>& expected) {
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}, dump.size()}) {
    auto tables = count<Counter>(dump, piece);
    REQUIRE(tables.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      INFO("piece " << piece << ", table " << expected[i].first);
      CHECK(tables[i].table == expected[i].first);
      CHECK(tables[i].rows == expected[i].second);
    }
  }
}

}  // namespace

TEST_CASE("dump rows: pg_dump COPY blocks, quoted names, empty tables, escaped data") {
  const std::string dump =
      "--\n-- Data for Name: patients; Type: TABLE DATA\n--\n\n"
      "COPY public.patients (id, name, note) FROM stdin;\n"
      "1\tZo\\303\\253\t\\N\n"
      "2\t\\\\.\tnot the end: an escaped backslash\n"
      "3\tline with \\n escaped newline\t\\N\n"
      "\\.\n\n"
      "COPY audit.\"Events Log\" (id, \"what (x)\") FROM stdin;\n"
      "1\tINSERT\n"
      "\\.\n\n"
      "COPY public.empty_one (x) FROM stdin;\n"
      "\\.\n\n"
      "-- a comment line mentioning COPY x FROM stdin; is not a block\n"
      "SELECT pg_catalog.setval('public.s', 1, false);\n";
  check_every_cut<PgCopyRowCounter>(dump, {{"public.patients", 3}, {"audit.Events Log", 1}, {"public.empty_one", 0}});
}

TEST_CASE("dump rows: mariadb-dump extended INSERTs, one tuple per line or many per line") {
  const std::string dump =
      "-- Dumping data for table `audit`\n--\n\nLOCK TABLES `audit` WRITE;\n"
      "INSERT INTO `audit` VALUES\n(1,1,'update'),\n(2,2,'a ( b'),\n(3,3,'it\\'s (not) a ; row');\n"
      "UNLOCK TABLES;\n"
      "-- Dumping data for table `empty`\n--\n\n"
      "-- Dumping data for table `odd``name`\n--\n\n"
      "INSERT INTO `odd``name` VALUES (1,0x28292C3B),(2,'x'),(3,\"dq ) \\\" (\");\n"
      "INSERT INTO `odd``name` VALUES (4,NULL);\n"
      "/*!50003 CREATE TRIGGER t AFTER UPDATE ON x FOR EACH ROW INSERT INTO audit VALUES (1) */;;\n";
  check_every_cut<MysqlInsertRowCounter>(dump, {{"audit", 3}, {"empty", 0}, {"odd`name", 4}});
}

TEST_CASE("dump rows: unquote_qualified_name") {
  CHECK(opsbackup::unquote_qualified_name("public.t", '"') == "public.t");
  CHECK(opsbackup::unquote_qualified_name("\"My Schema\".\"a\"\"b\"", '"') == "My Schema.a\"b");
  CHECK(opsbackup::unquote_qualified_name("`a``b`", '`') == "a`b");
}
