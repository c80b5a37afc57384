// load: the 1, 5 and 15 minute load averages of /proc/loadavg, judged as
// check_load judges them: --warn and --crit each one range for all three or
// three ranges "W1,W5,W15", per core with --per-core (check_load -r).
#include "opshealth/host/proc_figures.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <array>
#include <fmt/format.h>
#include <thread>
#include <unistd.h>

namespace opshealth {
namespace {

using Ranges = std::array<std::optional<ops::Range>, 3>;

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = text.find(',', at);
    parts.emplace_back(text.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
    if (comma == std::string_view::npos) return parts;
    at = comma + 1;
  }
}

// "5" or "5,4,3": one range for the three averages, or one each.
Ranges parse_load_ranges(std::string_view text) {
  Ranges out;
  if (text.empty()) return out;
  auto parts = split_commas(text);
  if (parts.size() != 1 && parts.size() != 3)
    ops::fail_usage(fmt::format("invalid load thresholds '{}': expected one range or three (1, 5 and 15 minutes) "
                                "separated by commas",
                                ops::shown(text)));
  for (std::size_t i = 0; i < 3; ++i) out[i] = ops::parse_range(parts[parts.size() == 1 ? 0 : i], {ops::RangeUnit::none});
  return out;
}

ops::SectionKey load_range_key(std::string name, std::string help) {
  return ops::SectionKey(name, ops::KeyType::text, std::move(help))
      .with_option(name, "RANGE[,RANGE,RANGE]")
      .with_check([](std::string_view text, const ops::Config&) { parse_load_ranges(text); });
}

std::vector<Result> check_load(const Request& request) {
  auto load = parse_loadavg(read_proc("/proc/loadavg"));
  if (!load) cannot_tell("cannot read /proc/loadavg");
  const bool per_core = request.settings.flag("per_core");
  Ranges warn = parse_load_ranges(request.settings.text("warn").value_or(""));
  Ranges crit = parse_load_ranges(request.settings.text("crit").value_or(""));
  const long cores = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
  bool per_core_judged = per_core;
  std::string thresholds;
  if (!warn[0] && !crit[0]) {
    // Nothing given: the suite's default, a load of 2 per core (warning)
    // and 4 per core (critical) over any of the three averages.
    warn.fill(ops::parse_range("2"));
    crit.fill(ops::parse_range("4"));
    per_core_judged = true;
  }
  const std::array<double, 3> raw{load->one, load->five, load->fifteen};
  const char* labels[] = {"load1", "load5", "load15"};
  Result r;
  r.check = request.label;
  r.status = ops::Status::ok;
  std::vector<std::string> over;
  for (std::size_t i = 0; i < 3; ++i) {
    const double judged = per_core_judged ? raw[i] / static_cast<double>(cores) : raw[i];
    const ops::Status s = judge(judged, warn[i], crit[i]);
    if (s != ops::Status::ok) over.push_back(fmt::format("{} {:.2f}", labels[i], raw[i]));
    r.status = ops::worst(r.status, s);
    // Perfdata carries the figure the thresholds judge: per core when they are per core.
    r.figures.push_back({labels[i], judged, ops::PerfUnit::none, warn[i], crit[i], 0.0, std::nullopt,
                         per_core_judged ? std::string(labels[i]) + "_per_core" : labels[i]});
  }
  r.value = fmt::format("{:.2f} {:.2f} {:.2f}", raw[0], raw[1], raw[2]);
  const std::string unit = per_core_judged ? "/core" : "";
  if (warn[0]) thresholds = fmt::format("warn {}{}", warn[0]->text, unit);
  if (crit[0]) thresholds += fmt::format("{}crit {}{}", thresholds.empty() ? "" : " ", crit[0]->text, unit);
  r.thresholds = thresholds;
  r.message = fmt::format("load average {:.2f}, {:.2f}, {:.2f} on {} core{}", raw[0], raw[1], raw[2], cores,
                          cores == 1 ? "" : "s");
  if (!over.empty()) r.message += fmt::format(" ({} over)", fmt::join(over, ", "));
  return {r};
}

}  // namespace

Kind load_kind() {
  return Kind{"load", "", "1, 5 and 15 minute load averages (per core with --per-core), as check_load", 0, 0,
              ops::SectionSchema{"health", "a load check",
                                 with_common_keys({
                                     load_range_key("warn", "warning outside this range: one, or 1,5,15-minute ones "
                                                            "(default 2 per core)"),
                                     load_range_key("crit", "critical outside this range (default 4 per core)"),
                                     ops::SectionKey("per_core", ops::KeyType::flag,
                                                     "divide the load by the number of cores first (check_load -r)")
                                         .with_option("per-core"),
                                 })},
              check_load};
}

}  // namespace opshealth
