// ops/http_status.hpp: the statuses a check expects (--expect 200,301, 2xx).
#include <ops/error.hpp>
#include <ops/http_status.hpp>

#include <catch2/catch.hpp>

#include "error_support.hpp"

#include <string>

namespace {

using ops::test::error_from;

std::string status_error(std::string_view text) {
  ops::Error e = error_from([&] { ops::HttpStatusSet::parse(text); });
  CHECK(ops::exit_code(e.status()) == 3);
  return e.what();
}

}  // namespace

TEST_CASE("one code matches only itself") {
  auto set = ops::HttpStatusSet::parse("200");
  CHECK(set.contains(200));
  CHECK_FALSE(set.contains(201));
  CHECK_FALSE(set.contains(301));
  CHECK(set.text() == "200");
}

TEST_CASE("a list of codes, spaces around the commas allowed") {
  auto set = ops::HttpStatusSet::parse("200, 301 ,302");
  CHECK(set.contains(200));
  CHECK(set.contains(301));
  CHECK(set.contains(302));
  CHECK_FALSE(set.contains(303));
  CHECK_FALSE(set.contains(500));
}

TEST_CASE("a class covers its hundred, in either case") {
  auto set = ops::HttpStatusSet::parse("2xx,3XX");
  CHECK(set.contains(200));
  CHECK(set.contains(204));
  CHECK(set.contains(299));
  CHECK(set.contains(301));
  CHECK(set.contains(399));
  CHECK_FALSE(set.contains(199));
  CHECK_FALSE(set.contains(400));
  CHECK_FALSE(set.contains(500));
  auto server = ops::HttpStatusSet::parse("5xx");
  CHECK(server.contains(500));
  CHECK(server.contains(503));
  CHECK_FALSE(server.contains(404));
}

TEST_CASE("a span of codes, bounds included") {
  auto set = ops::HttpStatusSet::parse("200-204,404");
  CHECK(set.contains(200));
  CHECK(set.contains(204));
  CHECK_FALSE(set.contains(205));
  CHECK(set.contains(404));
}

TEST_CASE("a malformed status list is a usage error naming the text") {
  CHECK_THAT(status_error(""), Catch::Contains("it is empty"));
  CHECK_THAT(status_error("200,,301"), Catch::Contains("an empty item"));
  CHECK_THAT(status_error("200,"), Catch::Contains("an empty item"));
  CHECK_THAT(status_error("abc"), Catch::Contains("'abc' is not a code 100 to 599"));
  CHECK_THAT(status_error("2000"), Catch::Contains("'2000' is not a code"));
  CHECK_THAT(status_error("99"), Catch::Contains("'99' is not a code"));
  CHECK_THAT(status_error("600"), Catch::Contains("'600' is not a code"));
  CHECK_THAT(status_error("6xx"), Catch::Contains("'6xx' is not a class 1xx to 5xx"));
  CHECK_THAT(status_error("0xx"), Catch::Contains("is not a class"));
  CHECK_THAT(status_error("300-200"), Catch::Contains("'300-200' is not a span"));
  CHECK_THAT(status_error("2x0"), Catch::Contains("'2x0' is not a code"));
  CHECK_THAT(status_error("200;301"), Catch::Contains("invalid HTTP status list '200;301'"));
}
