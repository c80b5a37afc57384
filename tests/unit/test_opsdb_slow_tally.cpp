// opsdb slow: rows of one database and fingerprint added together, and
// ranked by what --sort names.
#include "opsdb/slow/statement_tally.hpp"

#include <catch2/catch.hpp>

using opsdb::SlowSort;
using opsdb::StatementStats;
using opsdb::StatementTally;

namespace {

StatementStats call(std::string db, std::string query, double seconds, std::string example = {}) {
  StatementStats s;
  s.database = std::move(db);
  s.query = std::move(query);
  s.calls = 1;
  s.total = s.max = seconds;
  s.rows = 1;
  s.rows_examined = 10;
  s.example = std::move(example);
  s.example_time = seconds;
  return s;
}

}  // namespace

TEST_CASE("slow tally: calls of one statement add up, the slowest is the example") {
  StatementTally t;
  t.add(call("shop", "select ?", 0.1, "select 1"));
  t.add(call("shop", "select ?", 0.5, "select 2"));
  t.add(call("shop", "select ?", 0.2, "select 3"));
  t.add(call("crm", "select ?", 9.0, "select 4"));  // another database: another row
  REQUIRE(t.size() == 2);
  const auto rows = t.ranked(SlowSort::calls, 0);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].database == "shop");
  CHECK(rows[0].calls == 3);
  CHECK(rows[0].total == Approx(0.8));
  CHECK(rows[0].mean() == Approx(0.8 / 3));
  CHECK(rows[0].max == Approx(0.5));
  CHECK(rows[0].rows == 3);
  CHECK(rows[0].rows_examined == 30);
  CHECK(rows[0].example == "select 2");
}

TEST_CASE("slow tally: ranked by total, mean, max or calls, cut to --top") {
  StatementTally t;
  for (int i = 0; i < 10; ++i) t.add(call("db", "many", 0.1));  // total 1.0, mean 0.1
  t.add(call("db", "one", 0.8));                                 // total 0.8, mean 0.8
  t.add(call("db", "two", 0.3));
  t.add(call("db", "two", 0.3));  // total 0.6, mean 0.3, max 0.3
  auto order = [&](SlowSort sort) {
    std::string names;
    for (const auto& s : t.ranked(sort, 0)) names += s.query + " ";
    return names;
  };
  CHECK(order(SlowSort::total) == "many one two ");
  CHECK(order(SlowSort::mean) == "one two many ");
  CHECK(order(SlowSort::max) == "one two many ");
  CHECK(order(SlowSort::calls) == "many two one ");
  CHECK(t.ranked(SlowSort::total, 1).size() == 1);
  CHECK(t.ranked(SlowSort::total, 1).front().query == "many");
}
