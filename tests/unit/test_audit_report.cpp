// opsaudit's report: findings worst first in every format, fix commands
// listed, details and notes shown, and the exit status from --fail-on.
#include "opsaudit/report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using opsaudit::Finding;
using opsaudit::Section;
using opsaudit::Severity;

namespace {

std::vector<Section> sample() {
  Section logins{"logins", "logins since 2026-11-29 12:00 from /var/log/auth.log", {}};
  logins.findings.push_back({Severity::info, "new_address", "198.51.100.7", "first login from this address"});
  logins.findings.push_back({Severity::critical, "failed_logins", "203.0.113.9", "23 failures, then a success"});
  ops::Table addresses({{"address"}, {"failures", ops::ColumnKind::integer}});
  addresses.add_row({std::string("203.0.113.9"), std::int64_t{23}});
  logins.details.push_back({"addresses", std::move(addresses)});
  logins.notes.push_back("/var/log/auth.log: 2 lines not understood, the first at line 7");
  Section perms{"perms", "perms /var/www/app", {}};
  perms.findings.push_back(
      {Severity::warning, "secret_readable", "/var/www/app/.env", "mode 0644: others may read it",
       "chmod 0600 /var/www/app/.env"});
  return {logins, perms};
}

std::string printed(ops::Format format, const std::vector<Section>& sections) {
  std::ostringstream out;
  opsaudit::print_report(out, format, sections);
  return out.str();
}

}  // namespace

TEST_CASE("audit report text: worst first, fixes listed, details, notes and a count") {
  const std::string text = printed(ops::Format::text, sample());
  const auto critical = text.find("CRITICAL  failed_logins  203.0.113.9");
  const auto info = text.find("INFO      new_address    198.51.100.7");
  REQUIRE(critical != std::string::npos);
  REQUIRE(info != std::string::npos);
  CHECK(critical < info);
  CHECK(text.find("  to fix:\n    chmod 0600 /var/www/app/.env\n") != std::string::npos);
  CHECK(text.find("  addresses:\n") != std::string::npos);
  CHECK(text.find("note: /var/log/auth.log: 2 lines not understood") != std::string::npos);
  CHECK(text.find("3 findings: 1 critical, 1 warning, 1 info\n") != std::string::npos);
}

TEST_CASE("audit report text: an audit with nothing to say says so") {
  const std::string text = printed(ops::Format::text, {Section{"perms", "perms /srv", {}}});
  CHECK(text == "perms /srv\n  no findings\n\n0 findings: 0 critical, 0 warning, 0 info\n");
}

TEST_CASE("audit report tsv: one finding a line, a control character cannot break a line") {
  auto sections = sample();
  sections[1].findings[0].subject = "/var/www/app/evil\nCRITICAL\tname";
  const std::string tsv = printed(ops::Format::tsv, sections);
  std::istringstream lines(tsv);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "audit\tseverity\tkind\tsubject\tdetail\tfix");
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    CHECK(std::count(line.begin(), line.end(), '\t') == 5);
  }
  CHECK(n == 3);
}

TEST_CASE("audit report json: audits, findings worst first, details as rows, null fix") {
  const auto doc = nlohmann::json::parse(printed(ops::Format::json, sample()));
  REQUIRE(doc["audits"].size() == 2);
  const auto& logins = doc["audits"][0];
  CHECK(logins["audit"] == "logins");
  CHECK(logins["findings"][0]["severity"] == "critical");
  CHECK(logins["findings"][0]["fix"].is_null());
  CHECK(logins["details"]["addresses"][0]["failures"] == 23);
  CHECK(doc["audits"][1]["findings"][0]["fix"] == "chmod 0600 /var/www/app/.env");
}

TEST_CASE("audit status: --fail-on decides which findings count") {
  const auto sections = sample();
  CHECK(opsaudit::audit_status(sections, Severity::info) == ops::Status::critical);
  CHECK(opsaudit::audit_status(sections, Severity::critical) == ops::Status::critical);
  auto no_critical = sections;
  no_critical[0].findings.pop_back();
  CHECK(opsaudit::audit_status(no_critical, Severity::warning) == ops::Status::warning);
  CHECK(opsaudit::audit_status(no_critical, Severity::critical) == ops::Status::ok);
  no_critical[1].findings.clear();
  CHECK(opsaudit::audit_status(no_critical, Severity::warning) == ops::Status::ok);
  CHECK(opsaudit::audit_status(no_critical, Severity::info) == ops::Status::warning);
}
