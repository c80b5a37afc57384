// memory and swap, from /proc/meminfo. Memory in use is what MemAvailable
// leaves (the kernel's own estimate of what can be had without swapping,
// page cache included), not MemFree. A percentage judges the share in use;
// a size judges what is left ("500M:": warn when less than 500M is left).
#include "opshealth/host/proc_figures.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/units.hpp>

#include <fmt/format.h>

namespace opshealth {
namespace {

constexpr auto kUnits = {ops::RangeUnit::percent, ops::RangeUnit::bytes};

ops::Status judge_one(const std::optional<ops::Range>& range, double used_percent, double left_bytes) {
  if (!range) return ops::Status::ok;
  return range->alerts(range->unit == ops::RangeUnit::bytes ? left_bytes : used_percent) ? ops::Status::warning
                                                                                        : ops::Status::ok;
}

// One row for `what` ("memory", "swap") of `total` bytes of which `left` are available.
Result judge_usage(const Request& request, std::string_view what, std::uint64_t total, std::uint64_t left) {
  const auto warn = range_of(request.settings, "warn", kUnits);
  const auto crit = range_of(request.settings, "crit", kUnits);
  const double used = static_cast<double>(total - std::min(left, total));
  const double percent = total ? 100.0 * used / static_cast<double>(total) : 0.0;
  Result r;
  r.check = request.label;
  r.status = judge_one(crit, percent, static_cast<double>(left)) != ops::Status::ok ? ops::Status::critical
             : judge_one(warn, percent, static_cast<double>(left)) != ops::Status::ok ? ops::Status::warning
                                                                                       : ops::Status::ok;
  r.value = fmt::format("{:.0f}%", percent);
  r.thresholds = thresholds_text(warn, crit);
  r.message = fmt::format("{} of {} {} in use, {} available", ops::format_size(static_cast<std::uint64_t>(used)),
                          ops::format_size(total), what, ops::format_size(left));
  const std::string name(what);
  r.figures.push_back({"used", percent, ops::PerfUnit::percent, range_in(warn, ops::RangeUnit::percent),
                       range_in(crit, ops::RangeUnit::percent), 0.0, 100.0,
                       name + "_used_percent"});
  r.figures.push_back({"available", static_cast<double>(left), ops::PerfUnit::bytes,
                       range_in(warn, ops::RangeUnit::bytes), range_in(crit, ops::RangeUnit::bytes), 0.0, static_cast<double>(total),
                       name + "_available_bytes"});
  r.figures.push_back({"total", static_cast<double>(total), ops::PerfUnit::bytes, {}, {}, {}, {}, name + "_total_bytes"});
  return r;
}

std::uint64_t field(const std::map<std::string, std::uint64_t, std::less<>>& info, std::string_view key) {
  auto it = info.find(key);
  if (it == info.end()) cannot_tell(fmt::format("/proc/meminfo has no {}", key));
  return it->second;
}

std::vector<Result> check_memory(const Request& request) {
  auto info = parse_meminfo(read_proc("/proc/meminfo"));
  return {judge_usage(request, "memory", field(info, "MemTotal"), field(info, "MemAvailable"))};
}

std::vector<Result> check_swap(const Request& request) {
  auto info = parse_meminfo(read_proc("/proc/meminfo"));
  const std::uint64_t total = field(info, "SwapTotal");
  if (total == 0) {
    Result r;
    r.check = request.label;
    r.status = ops::Status::ok;
    r.value = "none";
    r.message = "no swap configured";
    r.figures.push_back({"total", 0, ops::PerfUnit::bytes, {}, {}, {}, {}, "swap_total_bytes"});
    return {r};
  }
  return {judge_usage(request, "swap", total, field(info, "SwapFree"))};
}

ops::SectionSchema usage_schema(std::string_view what, std::string warn, std::string crit) {
  return ops::SectionSchema{
      "health", fmt::format("a {} check", what),
      with_common_keys({
          range_key("warn", kUnits, fmt::format("warning when more is in use (default {}); a size: when less is left "
                                                "(500M:)", warn), warn),
          range_key("crit", kUnits, fmt::format("critical when more is in use (default {})", crit), crit),
      })};
}

}  // namespace

Kind memory_kind() {
  return Kind{"memory", "", "memory in use, by MemAvailable", 0, 0, usage_schema("memory", "90%", "95%"), check_memory};
}

Kind swap_kind() {
  return Kind{"swap", "", "swap in use", 0, 0, usage_schema("swap", "50%", "80%"), check_swap};
}

}  // namespace opshealth
