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

TEST_CASE("shown escapes what would act on a terminal or split the line") {
  CHECK(ops::shown("/var/log/app.log") == "/var/log/app.log");
  CHECK(ops::shown("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(ops::shown("\x01\x1b[31mred") == "\\x01\\x1b[31mred");  // no colour reaches the terminal
  CHECK(ops::shown(std::string_view("a\0b", 3)) == "a\\x00b");  // a NUL does not cut the message
  CHECK(ops::shown("\x7f") == "\\x7f");
  CHECK(ops::shown("\xc2\x9b" "2J") == "\\u009b2J");            // a C1 CSI, UTF-8 encoded
  CHECK(ops::shown("\x9b" "2J") == "\\x9b2J");                  // the same as a raw byte (not UTF-8)
  CHECK(ops::shown("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");  // UTF-8 text kept
  CHECK(ops::shown("\xc0\xaf") == "\\xc0\\xaf");                // an overlong '/' is not UTF-8
  CHECK(ops::shown("\xed\xa0\x80") == "\\xed\\xa0\\x80");       // nor is a surrogate
  CHECK(ops::shown("\xe2\x82") == "\\xe2\\x82");                // nor a truncated sequence
}

TEST_CASE("shown shortens a long value on a character boundary") {
  const std::string big(10'000'000, 'x');
  CHECK(ops::shown(big) == std::string(160, 'x') + "\xe2\x80\xa6");
  CHECK(ops::shown("abcdef", 6) == "abcdef");
  CHECK(ops::shown("abcdefg", 6) == "abcdef\xe2\x80\xa6");
  CHECK(ops::shown("ab\xc3\xa9\xc3\xa9", 4) == "ab\xc3\xa9\xe2\x80\xa6");  // é is never cut in half
  CHECK(ops::shown("ab\x1b", 4) == "ab\xe2\x80\xa6");                       // nor is "\x1b"
}

TEST_CASE("printable_line keeps one line, and the head and tail of a long one") {
  CHECK(ops::printable_line("cannot open 'a\nb': No such file") == "cannot open 'a\\nb': No such file");
  const std::string line = "head " + std::string(10'000, 'x') + " tail: Permission denied";
  const std::string out = ops::printable_line(line, 100);
  CHECK(out.size() <= 100);
  CHECK(out.rfind("head ", 0) == 0);
  CHECK(out.find("tail: Permission denied") != std::string::npos);
  CHECK(out.find("\xe2\x80\xa6") != std::string::npos);
}
