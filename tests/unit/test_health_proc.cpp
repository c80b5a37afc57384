// opshealth's readers of /proc/stat, /proc/loadavg and /proc/meminfo.
#include "opshealth/host/proc_figures.hpp"

#include <catch2/catch.hpp>

TEST_CASE("proc: the cpu line of /proc/stat, and the shares between two samples") {
  const auto before = opshealth::parse_cpu_ticks(
      "cpu  100 0 50 800 40 0 10 0 0 0\ncpu0 50 0 25 400 20 0 5 0 0 0\nintr 1 2 3\n");
  const auto after = opshealth::parse_cpu_ticks("cpu  160 0 70 890 60 0 10 10 0 0\n");
  REQUIRE(before);
  REQUIRE(after);
  CHECK(before->user == 100);
  CHECK(before->idle == 800);
  CHECK(before->total() == 1000);
  const auto share = opshealth::cpu_share(*before, *after);
  REQUIRE(share);
  // 200 ticks: 60 user + 20 system + 10 steal busy, 90 idle, 20 iowait.
  CHECK(share->used == Approx(45.0));
  CHECK(share->iowait == Approx(10.0));
  CHECK(share->steal == Approx(5.0));
  // No time passed (or a counter went back): no share rather than a division by zero.
  CHECK_FALSE(opshealth::cpu_share(*before, *before));
  // A kernel before 2.6.11 stops at idle: the rest is 0.
  const auto old = opshealth::parse_cpu_ticks("cpu 1 2 3 4\n");
  REQUIRE(old);
  CHECK(old->total() == 10);
  CHECK_FALSE(opshealth::parse_cpu_ticks("cpu0 1 2 3 4\n"));
  CHECK_FALSE(opshealth::parse_cpu_ticks("cpu  x y\n"));
}

TEST_CASE("proc: /proc/loadavg") {
  const auto l = opshealth::parse_loadavg("0.52 0.40 0.35 2/185 12345\n");
  REQUIRE(l);
  CHECK(l->one == Approx(0.52));
  CHECK(l->five == Approx(0.40));
  CHECK(l->fifteen == Approx(0.35));
  CHECK_FALSE(opshealth::parse_loadavg("garbage"));
}

TEST_CASE("proc: /proc/meminfo in bytes") {
  const auto m = opshealth::parse_meminfo(
      "MemTotal:       24683772 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n"
      "HugePages_Total:       0\nSwapTotal:             0 kB\nbroken line\n");
  CHECK(m.at("MemTotal") == 24683772ull * 1024);
  CHECK(m.at("MemAvailable") == 20000000ull * 1024);
  CHECK(m.at("HugePages_Total") == 0);  // a count, not kB
  CHECK(m.at("SwapTotal") == 0);
  CHECK(m.count("broken line") == 0);
}
