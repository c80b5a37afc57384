// Limits on a filesystem's usage: percentages of use, free space, inodes.
#include <ops/usage_thresholds.hpp>

#include <catch2/catch.hpp>

using ops::Usage;

namespace {

constexpr std::uint64_t GiB = 1024ULL * 1024 * 1024;

Usage usage(std::uint64_t size, std::uint64_t used, std::uint64_t avail) { return Usage{size, used, avail, {}, {}}; }

}  // namespace

TEST_CASE("thresholds: judge percentages of use") {
  ops::UsageThresholds t;
  t.warn = ops::parse_threshold("80%");
  t.crit = ops::parse_threshold("90%");
  CHECK(t.judge(usage(100, 79, 21)) == ops::Status::ok);
  CHECK(t.judge(usage(100, 80, 20)) == ops::Status::warning);  // reaching the threshold counts
  CHECK(t.judge(usage(1000, 791, 209)) == ops::Status::warning);  // 79.1% shows as 80%
  CHECK(t.judge(usage(100, 89, 11)) == ops::Status::warning);
  CHECK(t.judge(usage(100, 90, 10)) == ops::Status::critical);
  CHECK(t.judge(usage(100, 100, 0)) == ops::Status::critical);
  CHECK(t.judge(usage(0, 0, 0)) == ops::Status::ok);
  ops::UsageThresholds none;
  CHECK(none.judge(usage(100, 100, 0)) == ops::Status::ok);
}

TEST_CASE("thresholds: judge absolute free space") {
  ops::UsageThresholds t;
  t.warn = ops::parse_threshold("10G");
  t.crit = ops::parse_threshold("5G");
  CHECK(t.judge(usage(100 * GiB, 80 * GiB, 20 * GiB)) == ops::Status::ok);
  CHECK(t.judge(usage(100 * GiB, 90 * GiB, 10 * GiB)) == ops::Status::ok);  // exactly 10G left is not below
  CHECK(t.judge(usage(100 * GiB, 90 * GiB, 10 * GiB - 1)) == ops::Status::warning);
  CHECK(t.judge(usage(100 * GiB, 95 * GiB, 5 * GiB - 1)) == ops::Status::critical);
  // A big disk at 95% with 50G free is fine by an absolute rule.
  CHECK(t.judge(usage(1000 * GiB, 950 * GiB, 50 * GiB)) == ops::Status::ok);
}

TEST_CASE("thresholds: mixed kinds and inode thresholds") {
  ops::UsageThresholds t;
  t.warn = ops::parse_threshold("80%");
  t.crit = ops::parse_threshold("1G");
  CHECK(t.judge(usage(100 * GiB, 85 * GiB, 15 * GiB)) == ops::Status::warning);
  CHECK(t.judge(usage(100 * GiB, 50 * GiB, GiB / 2)) == ops::Status::critical);
  ops::UsageThresholds inodes;
  inodes.inode_warn = 90;
  inodes.inode_crit = 95;
  Usage u = usage(100, 10, 90);
  CHECK(inodes.judge(u) == ops::Status::ok);  // no inode figures: nothing to judge
  u.inodes = 100;
  u.inodes_used = 92;
  CHECK(inodes.judge(u) == ops::Status::warning);
  u.inodes_used = 95;
  CHECK(inodes.judge(u) == ops::Status::critical);
}
