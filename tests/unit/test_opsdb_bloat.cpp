// opsdb bloat without a server: the page arithmetic of the PostgreSQL
// estimate against sizes PostgreSQL itself gives, the thresholds, the
// wraparound rule, the reclaiming command and what is shown.
#include "opsdb/bloat/bloat_judge.hpp"
#include "opsdb/bloat/bloat_output.hpp"
#include "opsdb/bloat/pg_estimate.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace opsdb;
using ops::Status;
using ops::db::Engine;

TEST_CASE("opsdb bloat: heap pages of the live rows") {
  // CREATE TABLE t (a int NOT NULL, b int NOT NULL) with 10000 rows takes 45
  // pages in PostgreSQL: 226 tuples of 36 bytes with their line pointers.
  HeapFigures two_ints{10000, 8, 2, false, 100};
  CHECK(expected_heap_pages(two_ints) == 45);
  // fillfactor 50 leaves half of each page for updates.
  HeapFigures half = two_ints;
  half.fillfactor = 50;
  CHECK(expected_heap_pages(half) == 89);
  // A null bitmap of 9 columns takes 2 bytes: the header grows to 32.
  HeapFigures nullable{10000, 8, 9, true, 100};
  CHECK(expected_heap_pages(nullable) == 55);  // 8168 / 44 = 185 a page
  // Rows of no data still take a header each: at most 291 a page.
  HeapFigures empty_rows{2910, 0, 1, false, 100};
  CHECK(expected_heap_pages(empty_rows) == 10);
  CHECK(expected_heap_pages(HeapFigures{0, 8, 2, false, 100}) == 0);
}

TEST_CASE("opsdb bloat: B-tree pages of the entries") {
  // CREATE INDEX on 10000 int values: 30 pages (a metapage, 28 leaves, a root).
  CHECK(expected_btree_pages(IndexFigures{10000, 4, false, 90}) == 30);
  // An empty index: the metapage and a root leaf.
  CHECK(expected_btree_pages(IndexFigures{0, 4, false, 90}) == 2);
  // A wide key needs more leaves, and more levels above them.
  CHECK(expected_btree_pages(IndexFigures{1000000, 36, false, 90}) > expected_btree_pages(IndexFigures{1000000, 4, false, 90}));
}

TEST_CASE("opsdb bloat: waste is the pages beyond those expected") {
  const Waste w = waste_of(100, 45);
  CHECK(w.bytes == 55 * 8192);
  CHECK(w.percent == Approx(55.0));
  // Fewer pages than expected (statistics off, deduplicated entries): none.
  CHECK(waste_of(40, 45).bytes == 0);
  CHECK(waste_of(40, 45).percent == 0.0);
  CHECK(waste_of(0, 0).bytes == 0);
}

TEST_CASE("opsdb bloat: wraparound past autovacuum_freeze_max_age warns, near 2^31 is critical") {
  CHECK(wraparound_status(1000, 200000000) == Status::ok);
  CHECK(wraparound_status(200000000, 200000000) == Status::ok);
  CHECK(wraparound_status(200000001, 200000000) == Status::warning);
  CHECK(wraparound_status(1610612735, 2000000000) == Status::ok);
  CHECK(wraparound_status(1610612736, 2000000000) == Status::critical);  // 75% of 2^31
  CHECK(wraparound_status(2100000000, 200000000) == Status::critical);
}

namespace {

Relation relation(std::string table, std::int64_t size, std::optional<std::int64_t> wasted, std::string index = {}) {
  Relation r;
  r.table = std::move(table);
  r.index = std::move(index);
  r.size = size;
  r.wasted = wasted;
  if (wasted) r.wasted_percent = 100.0 * static_cast<double>(*wasted) / static_cast<double>(size);
  return r;
}

}  // namespace

TEST_CASE("opsdb bloat: --warn and --crit as a size or a share of the relation") {
  BloatLimits limits;
  limits.warn = ops::parse_threshold("20%");
  limits.crit = ops::parse_threshold("1G");
  CHECK(waste_status(relation("a", 1000, 100), limits) == Status::ok);
  CHECK(waste_status(relation("a", 1000, 200), limits) == Status::warning);  // reaching it counts
  CHECK(waste_status(relation("a", std::int64_t(4) << 30, std::int64_t(1) << 30), limits) == Status::critical);
  CHECK(waste_status(relation("a", 1000, std::nullopt), limits) == Status::ok);  // not estimated
  CHECK(waste_status(relation("a", 1000, 999), BloatLimits{}) == Status::ok);    // no limits: no verdict
}

TEST_CASE("opsdb bloat: the command that gives the space back") {
  Relation table = relation("public.t", 1000, 500);
  CHECK(reclaim_command(Engine::postgresql, table) == "vacuum --full");
  CHECK(reclaim_command(Engine::postgresql, relation("public.t", 1000, 500, "t_pkey")) == "reindex");
  CHECK(reclaim_command(Engine::mysql, table) == "optimize");
  CHECK(reclaim_command(Engine::sqlite, table) == "vacuum");
  // Below 10%: no rewrite is worth it; dead rows still want a plain vacuum.
  Relation little = relation("public.t", 1000, 50);
  CHECK(reclaim_command(Engine::postgresql, little).empty());
  little.dead_rows = 10;
  CHECK(reclaim_command(Engine::postgresql, little) == "vacuum");
  CHECK(reclaim_command(Engine::mysql, little).empty());
}

TEST_CASE("opsdb bloat: most wasted first, small ones and those beyond --top left out") {
  BloatReport report;
  report.engine = Engine::sqlite;
  report.relations = {relation("(database)", 8192, 0), relation("main.small", 4096, 4000),
                      relation("main.a", 200000, 1000), relation("main.b", 300000, 90000),
                      relation("main.c", 500000, std::nullopt), relation("main.d", 100000, 50000, "d_i")};
  report.not_estimated = {{"main.c", "never analyzed"}, {"main.small", "never analyzed"}};
  BloatLimits limits;
  limits.warn = ops::parse_threshold("40%");
  judge(report, limits);
  REQUIRE(report.relations.size() == 5);
  CHECK(report.below_min_size == 1);  // main.small; "(database)" always stays
  CHECK(report.relations[0].table == "main.b");
  CHECK(report.relations[1].index == "d_i");
  CHECK(report.relations[1].status == Status::warning);
  CHECK(report.relations[2].table == "main.a");
  CHECK(report.relations[3].table == "(database)");
  CHECK(report.relations[4].table == "main.c");  // not estimated: last
  CHECK(report.status == Status::warning);
  // A table not shown is not named as not estimated either.
  REQUIRE(report.not_estimated.size() == 1);
  CHECK(report.not_estimated[0].first == "main.c");

  BloatReport top = report;
  limits.top = 2;
  judge(top, limits);
  CHECK(top.relations.size() == 2);
  CHECK(top.beyond_top == 3);
}

TEST_CASE("opsdb bloat: a table past autovacuum_freeze_max_age is named, with vacuum") {
  BloatReport report;
  report.engine = Engine::postgresql;
  report.wraparound = Wraparound{"app", 300000000, 200000000, "", 0, Status::ok};
  Relation old = relation("public.old", 819200, 0);
  old.xid_age = 300000000;
  Relation young = relation("public.young", 819200, 0);
  young.xid_age = 1000;
  report.relations = {old, young};
  judge(report, BloatLimits{});
  CHECK(report.wraparound->status == Status::warning);
  CHECK(report.status == Status::warning);
  const Relation& first = report.relations[0].table == "public.old" ? report.relations[0] : report.relations[1];
  CHECK(first.status == Status::warning);
  CHECK(first.reclaim == "vacuum");
  CHECK_THAT(first.note, Catch::Contains("past autovacuum_freeze_max_age 200000000"));
  std::ostringstream out;
  print_bloat(out, ops::Format::text, report, BloatLimits{});
  CHECK_THAT(out.str(), Catch::Contains("note: wraparound: database app: oldest unfrozen transaction ID 300000000 old, 14.0% of 2^31"));
}
