// systemd UNIT: whether a unit is active, from `systemctl show UNIT -p
// ActiveState,SubState,LoadState` run without a shell under the check's
// deadline. active (and reloading) is OK, activating or deactivating a
// WARNING (on its way), inactive or failed CRITICAL, as is a unit systemd
// does not know or has masked. Where systemd is not the init system (a
// container, a CI runner) systemctl cannot answer: UNKNOWN, saying so.
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/process.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <sstream>

namespace opshealth {
namespace {

std::map<std::string, std::string> parse_show(const std::string& out) {
  std::map<std::string, std::string> props;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) props[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return props;
}

ops::Status status_of(const std::string& load, const std::string& active) {
  if (load == "not-found" || load == "masked" || load == "bad-setting" || load == "error") return ops::Status::critical;
  if (active == "active" || active == "reloading") return ops::Status::ok;
  if (active == "activating" || active == "deactivating" || active == "refreshing") return ops::Status::warning;
  return ops::Status::critical;  // inactive, failed, maintenance
}

std::vector<Result> check_systemd(const Request& request) {
  const std::string& unit = request.args.at(0);
  if (unit.empty() || unit.front() == '-' || unit.find_first_of(" \t\n/") != std::string::npos)
    ops::fail_usage(fmt::format("invalid unit name '{}'", ops::shown(unit)));
  if (!ops::find_program("systemctl")) cannot_tell("systemctl is not installed (not found in PATH)");
  ops::ProcessSpec spec;
  spec.argv = {"systemctl", "show", "--no-pager", "-p", "ActiveState,SubState,LoadState", "--", unit};
  spec.env = {{"SYSTEMD_PAGER", ""}, {"SYSTEMD_COLORS", "0"}};
  const auto run = ops::run_capture(spec, 1 << 16, request.time_left() * 9 / 10);  // time left to say why
  if (run.timed_out) return {Result{request.label, ops::Status::critical, "", "", "systemctl did not answer in time"}};
  if (!run.status.success()) {
    std::string why = run.last_stderr_line.empty() ? "systemctl " + run.status.describe() : run.last_stderr_line;
    if (!std::filesystem::exists("/run/systemd/system"))
      cannot_tell(fmt::format("systemd is not running on this host (no /run/systemd/system): {}", ops::shown(why)));
    cannot_tell(fmt::format("systemctl show {}: {}", ops::shown(unit), ops::shown(why)));
  }
  auto props = parse_show(run.out);
  const std::string load = props["LoadState"], active = props["ActiveState"], sub = props["SubState"];
  if (load.empty() || active.empty())
    cannot_tell(fmt::format("systemctl show {} gave no LoadState or ActiveState", ops::shown(unit)));
  Result r;
  r.check = request.label;
  r.status = status_of(load, active);
  r.value = sub.empty() ? active : fmt::format("{} ({})", active, sub);
  if (load == "not-found")
    r.message = "no such unit";
  else if (load != "loaded")
    r.message = fmt::format("unit is {}", load);
  else
    r.message = fmt::format("{} is {}{}", unit, active, sub.empty() || sub == active ? "" : " (" + sub + ")");
  r.figures.push_back({"active", active == "active" || active == "reloading" ? 1.0 : 0.0, ops::PerfUnit::none, {}, {},
                       0.0, 1.0, "systemd_unit_active", {{"unit", unit}}});
  return {r};
}

}  // namespace

Kind systemd_kind() {
  return Kind{"systemd", "UNIT", "whether a systemd unit is active (systemctl show): failed or inactive is critical", 1, 1,
              ops::SectionSchema{"health", "a systemd check", with_common_keys({})}, check_systemd};
}

}  // namespace opshealth
