// opsaudit logins: what a period's events add up to — the threshold, a
// success after failures judged by time whatever order the sources came
// in, root logins, new addresses only when the previous period was read.
#include "opsaudit/logins/login_tally.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>

namespace {

using opsaudit::AuthEvent;
using opsaudit::Severity;

const ops::SysTime kNow = ops::parse_time("2026-12-06T12:00:00Z");
const std::chrono::seconds kWeek{7 * 86400};

ops::SysTime ago(int hours) { return kNow - std::chrono::hours(hours); }

AuthEvent fail(ops::SysTime t, const char* address, const char* user = "root", bool invalid = false) {
  return AuthEvent{t, false, address, user, invalid, "password", "sshd"};
}
AuthEvent login(ops::SysTime t, const char* address, const char* user = "bob") {
  return AuthEvent{t, true, address, user, false, "publickey", "sshd"};
}

opsaudit::Section report(const std::vector<AuthEvent>& events, long long threshold = 3) {
  opsaudit::LoginTally tally({kNow - kWeek, kNow - 2 * kWeek, kWeek, threshold});
  for (const auto& e : events) tally.add(e);
  opsaudit::Section section{"logins", "t", {}};
  tally.report(section);
  return section;
}

std::vector<std::string> kinds(const opsaudit::Section& s) {
  std::vector<std::string> out;
  for (const auto& f : s.findings) out.push_back(f.kind + " " + f.subject + " " + std::string(opsaudit::severity_name(f.severity)));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("login tally: an address at the threshold is a warning, critical when a login followed, whatever the order read") {
  ops::test::TzGuard tz("UTC");
  // The login (from an application's table, read last) is later than the failures: critical.
  auto s = report({fail(ago(50), "192.0.2.1"), fail(ago(49), "192.0.2.1"), fail(ago(48), "192.0.2.1"),
                   fail(ago(10), "192.0.2.2"), fail(ago(9), "192.0.2.2"), login(ago(40), "192.0.2.1"),
                   login(ago(300), "192.0.2.1")});
  // (192.0.2.1 logged in the week before too: not new; 192.0.2.2 is under the threshold.)
  CHECK(kinds(s) == std::vector<std::string>{"failed_logins 192.0.2.1 critical"});
  // A login before the first failure is not "after failures".
  s = report({login(ago(60), "192.0.2.3"), fail(ago(50), "192.0.2.3"), fail(ago(49), "192.0.2.3"), fail(ago(48), "192.0.2.3")});
  CHECK(std::count_if(s.findings.begin(), s.findings.end(), [](auto& f) {
          return f.kind == "failed_logins" && f.severity == Severity::warning;
        }) == 1);
  // Below the threshold: success_after_failures.
  s = report({fail(ago(50), "192.0.2.4"), login(ago(49), "192.0.2.4")});
  CHECK(std::count_if(s.findings.begin(), s.findings.end(), [](auto& f) { return f.kind == "success_after_failures"; }) == 1);
  // Failures of the previous period do not count.
  s = report({fail(ago(200), "192.0.2.5"), fail(ago(201), "192.0.2.5"), fail(ago(202), "192.0.2.5")});
  CHECK(s.findings.empty());
  CHECK(s.figures.at("logins_failures") == 0);
}

TEST_CASE("login tally: new addresses only when the previous period was read; root logins; invalid users") {
  ops::test::TzGuard tz("UTC");
  // Nothing before since: not judged, a note says so.
  auto s = report({login(ago(5), "192.0.2.9")});
  CHECK(kinds(s).empty());
  REQUIRE(s.notes.size() == 1);
  CHECK_THAT(s.notes[0], Catch::Contains("new addresses not judged"));
  // With the previous week read: 192.0.2.8 logged in then, 192.0.2.9 did not.
  s = report({login(ago(200), "192.0.2.8"), login(ago(5), "192.0.2.8"), login(ago(4), "192.0.2.9", "root"),
              fail(ago(3), "192.0.2.7", "admin", true), fail(ago(3), "192.0.2.7", "admin", true),
              fail(ago(3), "192.0.2.6", "oracle", true)});
  CHECK(kinds(s) == std::vector<std::string>{"invalid_users 2 names info", "new_address 192.0.2.9 info",
                                             "root_login 192.0.2.9 warning"});
  auto invalid = std::find_if(s.findings.begin(), s.findings.end(), [](auto& f) { return f.kind == "invalid_users"; });
  CHECK_THAT(invalid->detail, Catch::Contains("3 attempts") && Catch::Contains("admin (2), oracle (1)"));
}
