// PostgreSQL's wraparound headroom, shared by opshealth db and opsdb bloat.
#include <ops/db_wraparound.hpp>

#include <catch2/catch.hpp>

using ops::db::wraparound_percent;

TEST_CASE("db wraparound: the age's share of 2^31") {
  CHECK(wraparound_percent(0) == 0.0);
  CHECK(wraparound_percent(-5) == 0.0);  // never negative
  CHECK(wraparound_percent(1073741824) == Approx(50.0));
  // autovacuum_freeze_max_age's default: a healthy database stays below it.
  CHECK(wraparound_percent(200000000) == Approx(9.3132).epsilon(1e-4));
  // The server refuses new transactions about 3 million IDs before 2^31.
  CHECK(wraparound_percent(2147483647 - 3000000) == Approx(99.86).epsilon(1e-4));
}
