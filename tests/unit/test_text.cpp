// Text helpers: case folding that leaves UTF-8 alone.
#include <ops/text.hpp>

#include <catch2/catch.hpp>

TEST_CASE("ascii_lower folds ASCII letters only") {
  CHECK(ops::ascii_lower("SysDate(), `Audit_Logs` 90D") == "sysdate(), `audit_logs` 90d");
  CHECK(ops::ascii_lower("ÄÖÜ É naïve") == "ÄÖÜ É naïve");  // UTF-8 bytes untouched
  CHECK(ops::ascii_lower("") == "");
}
