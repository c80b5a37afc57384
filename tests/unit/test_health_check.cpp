// opshealth's shared helpers of the kinds: HOST:PORT, the masking of a password in a
// row label, and the judging of a value by warn and crit ranges.
#include "opshealth/check.hpp"
#include "opshealth/host_port.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <catch2/catch.hpp>

TEST_CASE("check: a password in a URL never reaches a label") {
  using opshealth::masked_argument;
  CHECK(masked_argument("https://u:secret@example.org/login") == "https://u:***@example.org/login");
  CHECK(masked_argument("https://u:s@cr@t@example.org/") == "https://u:***@example.org/");
  CHECK(masked_argument("http://user@example.org/") == "http://user@example.org/");  // no password
  CHECK(masked_argument("https://example.org/a@b:c") == "https://example.org/a@b:c");  // '@' in the path
  CHECK(masked_argument("postgresql://app:pw@db1/app") == "postgresql://app:***@db1/app");
  CHECK(masked_argument("localhost:443") == "localhost:443");
  CHECK(masked_argument("/var/log/app.log") == "/var/log/app.log");
}

TEST_CASE("check: crit wins over warn, and an unmeasured value alerts") {
  const auto warn = ops::parse_range("80%");
  const auto crit = ops::parse_range("90%");
  CHECK(opshealth::judge(50, warn, crit) == ops::Status::ok);
  CHECK(opshealth::judge(85, warn, crit) == ops::Status::warning);
  CHECK(opshealth::judge(95, warn, crit) == ops::Status::critical);
  CHECK(opshealth::judge(std::nan(""), warn, std::nullopt) == ops::Status::warning);
  CHECK(opshealth::thresholds_text(warn, crit) == "warn 80% crit 90%");
  CHECK(opshealth::thresholds_text(std::nullopt, crit) == "crit 90%");
  CHECK(opshealth::thresholds_text(std::nullopt, std::nullopt).empty());
}

TEST_CASE("check: HOST:PORT of the tcp and cert checks, one rule for both") {
  using opshealth::parse_host_port;
  CHECK(parse_host_port("db1:5432").host == "db1");
  CHECK(parse_host_port("db1:5432").port == 5432);
  CHECK(parse_host_port("[::1]:443").host == "::1");
  CHECK(parse_host_port("[::1]:443").port == 443);
  for (const char* bad : {"db1", "db1:", ":80", "db1:0", "db1:65536", "db1:8x", "::1:80", "[::1]", "[::1:80", "[]:80"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_host_port(bad), ops::Error);
  }
}

