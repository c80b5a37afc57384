// opshealth's judgement of a certificate's expiry (web/tls_keys.hpp), shared
// by `http` on https URLs and `cert HOST:PORT`, at a time fixed by OPS_NOW.
#include "opshealth/web/tls_keys.hpp"

#include <ops/clock.hpp>
#include <ops/sections.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <string>

namespace {

using namespace std::chrono_literals;

// A cert check's request with its defaults, then `given` keys (name, text).
opshealth::Request request(std::vector<std::pair<std::string, std::string>> given = {}) {
  const opshealth::Kind& kind = *opshealth::find_kind("cert");
  ops::SectionValues values(kind.schema, "t", "test");
  for (const ops::SectionKey& key : kind.schema.keys)
    if (!key.default_value.empty()) values.set(key, ops::parse_key_value(key, key.default_value), "default", false);
  for (const auto& [name, text] : given) {
    const ops::SectionKey* key = kind.schema.find(name);
    REQUIRE(key);
    values.set(*key, ops::parse_key_value(*key, text), "--" + name, true);
  }
  return opshealth::Request{"cert t:443", {"t:443"}, values, {}, std::chrono::steady_clock::now() + 10s};
}

ops::PeerCertificate expiring_in(std::chrono::seconds left) {
  return ops::PeerCertificate{ops::now() + left, "CN = t"};
}

}  // namespace

TEST_CASE("cert's defaults: warning within 30 days, critical within 7") {
  ops::test::EnvGuard now("OPS_NOW", "2026-12-06T12:00:00Z");
  auto judged = [](std::chrono::seconds left) {
    return opshealth::judge_certificate(request(), expiring_in(left), "cert_remaining_seconds");
  };
  CHECK(judged(24h * 90).status == ops::Status::ok);
  CHECK(judged(24h * 29).status == ops::Status::warning);
  CHECK(judged(24h * 6).status == ops::Status::critical);
  auto v = judged(24h * 3 - 1s);
  CHECK(v.status == ops::Status::critical);
  CHECK(v.value == "2.9 days");  // rounded down, never "3.0"
  CHECK(v.message == "certificate expires in 2.9 days, 2026-12-09T11:59:59Z (CN = t)");
  CHECK(v.thresholds == "cert warn 30d crit 7d");
  CHECK(v.figure.metric == "cert_remaining_seconds");
  CHECK(v.figure.value == Approx(3 * 86400 - 1));
  REQUIRE(v.figure.warn);
  CHECK(v.figure.warn->text == "30d:");
  CHECK(v.figure.warn->alerts(29 * 86400.0));
  CHECK_FALSE(v.figure.warn->alerts(31 * 86400.0));
}

TEST_CASE("the exact time left is compared, not whole days") {
  ops::test::EnvGuard now("OPS_NOW", "2026-12-06T12:00:00Z");
  auto r = request({{"cert_warn", "2d"}, {"cert_crit", "1d"}});
  CHECK(opshealth::judge_certificate(r, expiring_in(24h * 2 + 1h), "m").status == ops::Status::ok);
  CHECK(opshealth::judge_certificate(r, expiring_in(24h * 2 - 1h), "m").status == ops::Status::warning);
  CHECK(opshealth::judge_certificate(r, expiring_in(23h), "m").status == ops::Status::critical);
}

TEST_CASE("an expired certificate is critical whatever the limits") {
  ops::test::EnvGuard now("OPS_NOW", "2026-12-06T12:00:00Z");
  auto r = request({{"cert_warn", "0s"}, {"cert_crit", "0s"}});
  auto v = opshealth::judge_certificate(r, expiring_in(-36h), "m");
  CHECK(v.status == ops::Status::critical);
  CHECK(v.value == "-1.5 days");
  CHECK(v.message == "certificate expired 1.5 days ago, 2026-12-05T00:00:00Z (CN = t)");
}
