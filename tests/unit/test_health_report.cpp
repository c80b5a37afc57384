// opshealth's report: worst first, unique names, and the Nagios and
// Prometheus outputs as the guidelines and the text format want them.
#include "opshealth/check.hpp"
#include "opshealth/report.hpp"

#include <ops/nagios_range.hpp>

#include <catch2/catch.hpp>

#include <sstream>

namespace {

using opshealth::Figure;
using opshealth::Result;

std::vector<Result> sample() {
  std::vector<Result> rows;
  rows.push_back(Result{"load", ops::Status::ok, "0.52 0.40 0.35", "", "load average 0.52"});
  rows.back().figures.push_back(
      Figure{"load1", 0.52, ops::PerfUnit::none, ops::parse_range("2"), ops::parse_range("4"), 0.0, {}, "load1"});
  rows.push_back(Result{"db app", ops::Status::critical, "", "", "connection refused"});
  rows.push_back(Result{"disk /var", ops::Status::warning, "85%", "warn 80% crit 90%", "85% used"});
  rows.back().figures.push_back(Figure{"used", 85, ops::PerfUnit::percent, ops::parse_range("80%"),
                                       ops::parse_range("90%"), 0.0, 100.0, "disk_used_percent", {{"mount", "/var"}}});
  rows.push_back(Result{"db app", ops::Status::ok, "3 ms", "", ""});  // the same name twice
  rows.back().figures.push_back(Figure{"time", 0.003, ops::PerfUnit::seconds, {}, {}, 0.0, {}, "db_time_seconds"});
  return rows;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("report: rows are ordered worst first and every name is unique") {
  auto rows = sample();
  opshealth::order_rows(rows);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].check == "db app");
  CHECK(rows[0].status == ops::Status::critical);
  CHECK(rows[1].check == "disk /var");
  CHECK(rows[2].check == "load");  // the order of equal rows is kept
  CHECK(rows[3].check == "db app (2)");
  CHECK(opshealth::overall(rows) == ops::Status::critical);
}

TEST_CASE("report: the Nagios output names the problems first, then a line per check, then perfdata") {
  auto rows = sample();
  opshealth::order_rows(rows);
  const auto lines = lines_of(opshealth::nagios_text(rows, false));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] ==
        "OPSHEALTH CRITICAL - 1 critical, 1 warning, 2 ok: db app: connection refused; disk /var: 85% used");
  CHECK(lines[1] == "CRITICAL: db app - connection refused");
  CHECK(lines[2] == "WARNING: disk /var 85% - 85% used");
  CHECK(lines[3] == "OK: load 0.52 0.40 0.35 - load average 0.52");
  // Perfdata after the last line's "|": labels quoted, prefixed by their
  // check, unique; thresholds in the item's unit.
  CHECK(lines[4] ==
        "OK: db app (2) 3 ms | 'disk_/var::used'=85%;80;90;0;100 'load::load1'=0.52;2;4;0 "
        "'db_app_(2)::time'=0.003s;;;0");
}

TEST_CASE("report: a single check's perfdata labels are its own, and -q keeps only the problems") {
  std::vector<Result> one{sample()[0]};
  CHECK(opshealth::nagios_text(one, false) ==
        "OPSHEALTH OK - 1 ok: load: load average 0.52\nOK: load 0.52 0.40 0.35 - load average 0.52 | "
        "'load1'=0.52;2;4;0\n");
  auto rows = sample();
  opshealth::order_rows(rows);
  std::ostringstream text;
  opshealth::print_report(text, ops::Format::text, rows, true);
  const auto lines = lines_of(text.str());
  REQUIRE(lines.size() == 3);  // header, db app, disk /var
  CHECK(lines[1].rfind("db app ", 0) == 0);
  CHECK(lines[2].rfind("disk /var ", 0) == 0);
}

TEST_CASE("report: a '|' in a message cannot start perfdata in the Nagios output") {
  std::vector<Result> rows{Result{"log app", ops::Status::warning, "1", "", "ERROR a | b"}};
  const auto lines = lines_of(opshealth::nagios_text(rows, false));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find('|') == std::string::npos);
  CHECK(lines[1].find('|') == std::string::npos);
}

TEST_CASE("report: Prometheus gauges carry the check and the figure's labels, escaped") {
  auto rows = sample();
  rows.push_back(Result{"log \"odd\"\\name", ops::Status::warning, "", "", ""});
  opshealth::order_rows(rows);
  std::ostringstream out;
  opshealth::print_report(out, ops::Format::prometheus, rows, false);
  const std::string text = out.str();
  CHECK(text.find("ops_health_status{check=\"db app\"} 2\n") != std::string::npos);
  CHECK(text.find("ops_health_status{check=\"db app (2)\"} 0\n") != std::string::npos);
  CHECK(text.find("ops_health_disk_used_percent{check=\"disk /var\",mount=\"/var\"} 85\n") != std::string::npos);
  CHECK(text.find("ops_health_status{check=\"log \\\"odd\\\"\\\\name\"} 1\n") != std::string::npos);
  // One HELP and one TYPE per family.
  std::size_t types = 0;
  for (std::size_t at = 0; (at = text.find("# TYPE ops_health_status gauge", at)) != std::string::npos; ++at) ++types;
  CHECK(types == 1);
}

TEST_CASE("report: JSON has the overall status and each check with its figures") {
  auto rows = sample();
  opshealth::order_rows(rows);
  std::ostringstream out;
  opshealth::print_report(out, ops::Format::json, rows, false);
  auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["status"] == "critical");
  CHECK(doc["exit_status"] == 2);
  REQUIRE(doc["checks"].size() == 4);
  CHECK(doc["checks"][1]["figures"][0]["warn"] == "80%");
  CHECK(doc["checks"][1]["figures"][0]["metric"] == "ops_health_disk_used_percent");
}
