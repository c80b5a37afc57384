// opshealth db: the arithmetic beside its SQL — the share of max_connections,
// and the deadline handed to the server as timeouts.
#include "opshealth/db/db_measures.hpp"

#include <catch2/catch.hpp>

using namespace opshealth::db;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("health db: connections as a share of max_connections") {
  CHECK(connections_percent(57, 60) == Approx(95.0));
  CHECK(connections_percent(0, 60) == 0.0);
  CHECK(connections_percent(60, 60) == 100.0);
  CHECK(connections_percent(5, 0) == 0.0);  // a limit that could not be read judges nothing
}

TEST_CASE("health db: the deadline as a connect timeout in whole seconds, never 0") {
  CHECK(connect_timeout_for(milliseconds(10000)) == seconds(10));
  CHECK(connect_timeout_for(milliseconds(2999)) == seconds(2));  // rounded down: never past the deadline
  CHECK(connect_timeout_for(milliseconds(400)) == seconds(1));   // 0 would mean "wait forever"
  CHECK(connect_timeout_for(milliseconds(0)) == seconds(1));
}

TEST_CASE("health db: the statement timeout leaves a tenth of the time to report") {
  CHECK(statement_timeout_ms(milliseconds(10000)) == 9000);
  CHECK(statement_timeout_ms(milliseconds(1)) == 1);  // 0 would mean "no timeout"
  CHECK(statement_timeout_ms(milliseconds(0)) == 1);
}
