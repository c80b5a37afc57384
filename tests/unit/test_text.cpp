// Text helpers: case folding that leaves UTF-8 alone, trimming by a blank set.
#include <ops/text.hpp>

#include <catch2/catch.hpp>

TEST_CASE("ascii_lower folds ASCII letters only") {
  CHECK(ops::ascii_lower("SysDate(), `Audit_Logs` 90D") == "sysdate(), `audit_logs` 90d");
  CHECK(ops::ascii_lower("ÄÖÜ É naïve") == "ÄÖÜ É naïve");  // UTF-8 bytes untouched
  CHECK(ops::ascii_lower("") == "");
}

TEST_CASE("trim drops ASCII white space at both ends, and only there") {
  CHECK(ops::trim("  10M\t") == "10M");
  CHECK(ops::trim("\r\n\v\f key = a  b \r") == "key = a  b");
  CHECK(ops::trim(" \t\r\n") == "");
  CHECK(ops::trim("") == "");
  CHECK(ops::trim("x") == "x");
  CHECK(ops::trim("\xc2\xa0x\xc2\xa0") == "\xc2\xa0x\xc2\xa0");  // a UTF-8 no-break space is no ASCII blank
}

TEST_CASE("trim with a grammar's own blanks leaves the others alone") {
  CHECK(ops::trim(" \tdaily\r \t", " \t") == "daily\r");  // logrotate: a lone \r is part of the word
  CHECK(ops::trim("\n  *.log\n  ", " \t\n") == "*.log");
  CHECK(ops::trim("   ", " \t") == "");
}
