// ops/pattern.hpp: PCRE2 patterns, a bad one refused in one line naming it.
#include <ops/error.hpp>
#include <ops/pattern.hpp>

#include <catch2/catch.hpp>

#include "error_support.hpp"

TEST_CASE("a pattern matches anywhere in the text, PCRE2 syntax") {
  ops::Pattern p("Failed to|\\bERROR\\b");
  CHECK(p.matches("2026-12-06 09:12:01 ERROR db down"));
  CHECK(p.matches("Failed to connect"));
  CHECK_FALSE(p.matches("ERRORS are fine here"));
  CHECK_FALSE(p.matches(""));
  CHECK(p.text() == "Failed to|\\bERROR\\b");
  CHECK(ops::Pattern("\\d{3}").matches("code 503"));
}

TEST_CASE("caseless patterns and groups") {
  ops::Pattern p("status=(\\d+)(?: (retry))?", true);
  auto m = p.search("STATUS=503 end");
  REQUIRE(m);
  REQUIRE(m->size() == 3);
  CHECK((*m)[0] == "STATUS=503");
  CHECK((*m)[1] == "503");
  CHECK_FALSE((*m)[2].has_value());
  CHECK_FALSE(p.search("nothing"));
}

TEST_CASE("lines are bytes: a pattern matches around bytes that are not UTF-8") {
  CHECK(ops::Pattern("ERROR").matches(std::string("\xff\xfe ERROR \x80", 11)));
}

TEST_CASE("a bad pattern is a usage error naming the pattern and the offset") {
  auto e = ops::test::error_from([] { ops::Pattern("(ERROR"); });
  CHECK(e.status() == ops::Status::unknown);
  CHECK(std::string(e.what()) == "bad pattern '(ERROR': missing closing parenthesis at offset 6");
  auto control = ops::test::error_from([] { ops::Pattern("a\n["); });
  CHECK(std::string(control.what()).find("'a\\n['") != std::string::npos);
}

TEST_CASE("a pattern can be moved") {
  ops::Pattern a("x+");
  ops::Pattern b = std::move(a);
  CHECK(b.matches("axxb"));
}
