// updates: the package updates apt would install, and how many of them are
// security updates, from apt's own lists without touching the network or
// the lock: `apt-get -s -o Debug::NoLocking=1 upgrade` (dist-upgrade with
// --dist-upgrade), as check_apt asks it. Each "Inst" line is one update; it
// is a security update when one of the origins it comes from is a
// "*-security" suite (Debian-Security:12/bookworm-security,
// Ubuntu:22.04/jammy-security). By default any update warns and any security
// update is critical, as with check_apt.
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/process.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

#include <sstream>

namespace opshealth {
namespace {

constexpr auto kCount = {ops::RangeUnit::none};

struct Pending {
  int total = 0;
  std::vector<std::string> security;  // the packages
};

// "Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable,
// Debian-Security:12/oldstable-security [amd64])": the origins are the
// comma-separated "Label:version/suite" words inside the parentheses.
bool from_security(const std::string& line) {
  const auto open = line.find('(');
  const auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  std::istringstream origins(line.substr(open + 1, close - open - 1));
  for (std::string word; origins >> word;) {
    if (!word.empty() && word.back() == ',') word.pop_back();
    const auto colon = word.find(':');
    if (colon == std::string::npos) continue;  // the version, or "[amd64]"
    const auto slash = word.find('/', colon);
    const std::string suite = slash == std::string::npos ? "" : word.substr(slash + 1);
    if (word.compare(0, colon, "Debian-Security") == 0 ||
        (suite.size() > 9 && suite.compare(suite.size() - 9, 9, "-security") == 0))
      return true;
  }
  return false;
}

Pending parse_simulation(const std::string& out) {
  Pending p;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.compare(0, 5, "Inst ") != 0) continue;
    ++p.total;
    if (from_security(line)) {
      std::istringstream words(line.substr(5));
      std::string package;
      words >> package;
      p.security.push_back(package);
    }
  }
  return p;
}

std::vector<Result> check_updates(const Request& request) {
  const auto warn = range_of(request.settings, "warn", kCount);
  const auto crit = range_of(request.settings, "crit", kCount);
  const auto security_warn = range_of(request.settings, "security_warn", kCount);
  const auto security_crit = range_of(request.settings, "security_crit", kCount);
  const std::string action = request.settings.flag("dist_upgrade") ? "dist-upgrade" : "upgrade";
  if (!ops::find_program("apt-get")) cannot_tell("apt-get is not installed (not found in PATH): not a Debian-like host?");
  ops::ProcessSpec spec;
  spec.argv = {"apt-get", "-s", "-q", "-o", "Debug::NoLocking=1", action};
  spec.env = {{"LC_ALL", "C"}};
  const auto run = ops::run_capture(spec, 64 << 20, request.time_left() * 9 / 10);  // time left to say why
  if (run.timed_out) return {Result{request.label, ops::Status::critical, "", "", "apt-get -s did not answer in time"}};
  if (!run.status.success())
    cannot_tell(fmt::format("apt-get -s {} {}: {}", action, run.status.describe(),
                            ops::shown(run.last_stderr_line.empty() ? "no message" : run.last_stderr_line)));
  const Pending p = parse_simulation(run.out);
  const int security = static_cast<int>(p.security.size());
  Result r;
  r.check = request.label;
  r.status = ops::worst(judge(p.total, warn, crit), judge(security, security_warn, security_crit));
  r.value = fmt::format("{} ({} security)", p.total, security);
  std::string thresholds = thresholds_text(warn, crit);
  if (auto s = thresholds_text(security_warn, security_crit); !s.empty())
    thresholds += (thresholds.empty() ? "security " : ", security ") + s;
  r.thresholds = thresholds;
  if (p.total == 0) {
    r.message = "no updates pending";
  } else {
    r.message = fmt::format("{} update{} pending, {} of them security", p.total, p.total == 1 ? "" : "s", security);
    if (security) {
      r.message += ": ";
      for (std::size_t i = 0; i < p.security.size() && i < 5; ++i) r.message += (i ? ", " : "") + p.security[i];
      if (p.security.size() > 5) r.message += fmt::format(" and {} more", p.security.size() - 5);
    }
  }
  r.figures.push_back({"updates", static_cast<double>(p.total), ops::PerfUnit::none, warn, crit, 0.0, {},
                       "updates_pending"});
  r.figures.push_back({"security", static_cast<double>(security), ops::PerfUnit::none, security_warn, security_crit,
                       0.0, {}, "updates_security_pending"});
  return {r};
}

}  // namespace

Kind updates_kind() {
  return Kind{
      "updates", "", "pending package updates and security updates, from apt's lists (no network)", 0, 0,
      ops::SectionSchema{
          "health", "an updates check",
          with_common_keys({
              range_key("warn", kCount, "warning when the number of updates is outside this range (default 0: any)",
                        "0"),
              range_key("crit", kCount, "critical when the number of updates is outside this range (none by default)"),
              range_key("security_warn", kCount, "warning when the number of security updates is outside this range"),
              range_key("security_crit", kCount,
                        "critical when the number of security updates is outside this range (default 0: any)", "0"),
              ops::SectionKey("dist_upgrade", ops::KeyType::flag,
                              "count what apt-get dist-upgrade would install, not upgrade (check_apt -d)")
                  .with_option("dist-upgrade"),
          })},
      check_updates};
}

}  // namespace opshealth
