// cpu: the share of time the CPUs were busy over --interval, from two
// samples of /proc/stat, as psutil.cpu_percent(interval=1) measures it;
// iowait and steal are reported beside it.
#include "opshealth/host/proc_figures.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>
#include <thread>

namespace opshealth {
namespace {

constexpr auto kPercent = {ops::RangeUnit::percent};

std::vector<Result> check_cpu(const Request& request) {
  const double interval = ops::parse_seconds(request.settings.text("interval").value_or("1s"));
  auto first = parse_cpu_ticks(read_proc("/proc/stat"));
  // Never sleep past the deadline: a long --interval with a short --timeout
  // is cut short rather than reported as a hang.
  const auto wanted = std::chrono::duration<double>(interval);
  const auto slept = std::min<std::chrono::duration<double>>(
      wanted, std::chrono::duration<double>(request.time_left()) * 0.9);
  std::this_thread::sleep_for(slept);
  auto second = parse_cpu_ticks(read_proc("/proc/stat"));
  if (!first || !second) cannot_tell("cannot read the cpu line of /proc/stat");
  auto share = cpu_share(*first, *second);
  if (!share) cannot_tell("no CPU time passed between the two samples of /proc/stat");
  const auto warn = range_of(request.settings, "warn", kPercent);
  const auto crit = range_of(request.settings, "crit", kPercent);
  Result r;
  r.check = request.label;
  r.status = judge(share->used, warn, crit);
  r.value = fmt::format("{:.0f}%", share->used);
  r.thresholds = thresholds_text(warn, crit);
  r.message = fmt::format("{:.1f}% busy, {:.1f}% iowait, {:.1f}% steal over {:.3g}s", share->used, share->iowait,
                          share->steal, slept.count());
  r.figures.push_back({"used", share->used, ops::PerfUnit::percent, warn, crit, 0.0, 100.0, "cpu_used_percent"});
  r.figures.push_back({"iowait", share->iowait, ops::PerfUnit::percent, {}, {}, 0.0, 100.0, "cpu_iowait_percent"});
  r.figures.push_back({"steal", share->steal, ops::PerfUnit::percent, {}, {}, 0.0, 100.0, "cpu_steal_percent"});
  return {r};
}

}  // namespace

Kind cpu_kind() {
  return Kind{"cpu", "", "CPU use over --interval (iowait and steal beside it), from /proc/stat", 0, 0,
              ops::SectionSchema{"health", "a cpu check",
                                 with_common_keys({
                                     range_key("warn", kPercent, "warning when the CPUs are busier (default 80%)", "80%"),
                                     range_key("crit", kPercent, "critical when the CPUs are busier (default 90%)", "90%"),
                                     ops::SectionKey("interval", ops::KeyType::text,
                                                     "how long to measure (default 1s; 500ms, 5s)")
                                         .with_option("interval", "DURATION")
                                         .with_default("1s")
                                         .with_check([](std::string_view text, const ops::Config&) {
                                           if (ops::parse_seconds(text) <= 0)
                                             ops::fail_usage(fmt::format("invalid interval '{}': must be more than 0", text));
                                         }),
                                 })},
              check_cpu};
}

}  // namespace opshealth
