#include "opshealth/host/proc_figures.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <charconv>
#include <fmt/format.h>
#include <sstream>

namespace opshealth {

std::optional<CpuTicks> parse_cpu_ticks(std::string_view proc_stat) {
  std::istringstream in{std::string(proc_stat)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("cpu ", 0) != 0) continue;
    std::istringstream fields(line.substr(4));
    CpuTicks t;
    // Older kernels stop before steal; what is missing stays 0.
    if (!(fields >> t.user >> t.nice >> t.system >> t.idle)) return std::nullopt;
    fields >> t.iowait >> t.irq >> t.softirq >> t.steal;
    return t;
  }
  return std::nullopt;
}

std::optional<CpuShare> cpu_share(const CpuTicks& before, const CpuTicks& after) {
  if (after.total() <= before.total()) return std::nullopt;
  const double total = static_cast<double>(after.total() - before.total());
  auto share = [&](std::uint64_t a, std::uint64_t b) { return b >= a ? 100.0 * static_cast<double>(b - a) / total : 0.0; };
  CpuShare s;
  s.iowait = share(before.iowait, after.iowait);
  s.steal = share(before.steal, after.steal);
  s.used = std::max(0.0, 100.0 - share(before.idle, after.idle) - s.iowait);
  return s;
}

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
  std::istringstream in{std::string(text)};
  LoadAverage l;
  if (!(in >> l.one >> l.five >> l.fifteen)) return std::nullopt;
  return l;
}

std::map<std::string, std::uint64_t, std::less<>> parse_meminfo(std::string_view text) {
  std::map<std::string, std::uint64_t, std::less<>> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream rest(line.substr(colon + 1));
    std::uint64_t n = 0;
    std::string unit;
    if (!(rest >> n)) continue;
    rest >> unit;
    out[line.substr(0, colon)] = unit == "kB" ? n * 1024 : n;
  }
  return out;
}

std::string read_proc(const std::string& path) {
  try {
    return ops::read_file(path);
  } catch (const ops::Error& e) {
    throw ops::Error(ops::Status::unknown, e.what());
  }
}

}  // namespace opshealth
