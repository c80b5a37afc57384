#pragma once
// What the kernel says about the CPUs, the load and the memory, parsed from
// the text of /proc/stat, /proc/loadavg and /proc/meminfo (proc(5)). The
// parsers take text so the tests can feed them any.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace opshealth {

// The "cpu" line of /proc/stat: ticks since boot, by state.
struct CpuTicks {
  std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  std::uint64_t total() const { return user + nice + system + idle + iowait + irq + softirq + steal; }
};
// nullopt when the text has no well-formed "cpu " line.
std::optional<CpuTicks> parse_cpu_ticks(std::string_view proc_stat);

// Percentages of the time between two samples.
struct CpuShare {
  double used = 0;    // neither idle nor waiting for I/O
  double iowait = 0;
  double steal = 0;   // taken by the hypervisor
};
// nullopt when no tick passed between them.
std::optional<CpuShare> cpu_share(const CpuTicks& before, const CpuTicks& after);

struct LoadAverage {
  double one = 0, five = 0, fifteen = 0;
};
std::optional<LoadAverage> parse_loadavg(std::string_view text);

// /proc/meminfo in bytes by key ("MemAvailable", "SwapTotal"); "kB" is KiB.
std::map<std::string, std::uint64_t, std::less<>> parse_meminfo(std::string_view text);

// The text of a file of /proc; an ops::Error (unknown) naming it when unreadable.
std::string read_proc(const std::string& path);

}  // namespace opshealth
