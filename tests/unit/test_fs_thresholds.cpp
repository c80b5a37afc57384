// opsdf fs's --warn/--crit/--inode-warn/--inode-crit, read and checked.
#include "opsdf/fs/fs_thresholds.hpp"

#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

constexpr std::uint64_t GiB = 1024ULL * 1024 * 1024;

// The four threshold options read through a real cli::Context.
ops::UsageThresholds thresholds(std::vector<std::string> args) {
  po::options_description d;
  d.add_options()("warn", po::value<std::string>())("crit", po::value<std::string>())(
      "inode-warn", po::value<std::string>())("inode-crit", po::value<std::string>());
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(d).run(), vm);
  std::map<std::string, std::string> sources;
  for (const auto& o : d.options()) sources[o->long_name()] = "--" + o->long_name();
  ops::cli::CommonOptions common;
  ops::Config config;
  std::vector<std::string> positional;
  std::ostringstream out;
  ops::Metrics metrics;
  ops::cli::Context ctx(common, config, positional, out, metrics, vm, sources);
  return opsdf::thresholds_from(ctx);
}

std::string threshold_error(std::vector<std::string> args) {
  try {
    thresholds(std::move(args));
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    return e.what();
  }
  FAIL("accepted");
  return {};
}

}  // namespace

TEST_CASE("thresholds: thresholds_from reads and checks the options") {
  auto t = thresholds({"--warn", "80%", "--crit", "2G", "--inode-warn", "90%"});
  REQUIRE(t.warn);
  CHECK(t.warn->percent == 80);
  REQUIRE(t.crit);
  CHECK(t.crit->bytes == 2 * GiB);
  CHECK(t.inode_warn == 90.0);
  CHECK_FALSE(t.inode_crit);
  CHECK_FALSE(thresholds({}).warn);
  CHECK(thresholds({"--warn", "90%", "--crit", "90%"}).crit);  // equal is allowed

  CHECK_THAT(threshold_error({"--warn", "95%", "--crit", "90%"}),
             Catch::Matchers::Contains("--crit") && Catch::Matchers::Contains("--warn"));
  CHECK_THAT(threshold_error({"--warn", "5G", "--crit", "10G"}), Catch::Matchers::Contains("--crit"));
  CHECK_THAT(threshold_error({"--inode-warn", "10G"}), Catch::Matchers::Contains("--inode-warn"));
  CHECK_THAT(threshold_error({"--inode-warn", "95%", "--inode-crit", "90%"}),
             Catch::Matchers::Contains("--inode-warn"));
  CHECK_THAT(threshold_error({"--warn", "eighty"}),
             Catch::Matchers::StartsWith("--warn: ") && Catch::Matchers::Contains("'eighty'"));
}
