// process NAME: how many processes run under the exact name NAME. The name
// is the kernel's comm (/proc/PID/stat, what `ps -o comm` shows), as
// check_procs -C matches it, never the command line: a shell running
// `opshealth process nginx` is not an nginx. Not counted: opshealth itself,
// its parent chain (the shell or cron that started it) and its children (a
// concurrent check's systemctl or apt-get), nor a zombie (it has ended; only
// its entry waits to be reaped). The kernel cuts comm at 15 bytes, so a
// longer NAME matches a process whose comm is NAME's first 15 bytes and
// whose argv[0], without its path, is NAME.
#include "opshealth/host/proc_figures.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

namespace opshealth {
namespace {

constexpr std::size_t kCommLength = 15;  // TASK_COMM_LEN less its NUL
constexpr auto kCount = {ops::RangeUnit::none};

struct ProcEntry {
  pid_t ppid = 0;
  char state = '?';
  std::string comm;
};

// "PID (comm) S PPID …": comm may hold spaces and parentheses, so it ends at the last ')'.
std::optional<ProcEntry> parse_stat(const std::string& text) {
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open || close + 4 > text.size())
    return std::nullopt;
  ProcEntry e;
  e.comm = text.substr(open + 1, close - open - 1);
  e.state = text[close + 2];
  try {
    e.ppid = static_cast<pid_t>(std::stol(text.substr(close + 4)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return e;
}

// Every process of /proc by pid; one that ends while we read is left out.
std::map<pid_t, ProcEntry> read_processes() {
  std::map<pid_t, ProcEntry> table;
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc", ec);
  if (ec) cannot_tell(fmt::format("cannot list /proc: {}", ec.message()));
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    try {
      if (auto e = parse_stat(read_proc("/proc/" + name + "/stat"))) table.emplace(std::stoi(name), std::move(*e));
    } catch (const ops::Error&) {
      // gone already
    }
  }
  if (table.empty()) cannot_tell("no process found in /proc (is it mounted?)");
  return table;
}

// argv[0] of a process without its directory; "" when it cannot be read.
std::string argv0_base(pid_t pid) {
  try {
    std::string cmdline = read_proc(fmt::format("/proc/{}/cmdline", pid));
    std::string argv0 = cmdline.substr(0, cmdline.find('\0'));
    return argv0.substr(argv0.rfind('/') == std::string::npos ? 0 : argv0.rfind('/') + 1);
  } catch (const ops::Error&) {
    return "";
  }
}

bool named(pid_t pid, const ProcEntry& e, const std::string& name) {
  if (name.size() <= kCommLength) return e.comm == name;
  return e.comm == name.substr(0, kCommLength) && argv0_base(pid) == name;
}

// Ourselves, our ancestors and our descendants.
std::set<pid_t> own_family(const std::map<pid_t, ProcEntry>& table) {
  const pid_t self = ::getpid();
  std::set<pid_t> family{self};
  for (pid_t p = ::getppid(); p > 0 && family.insert(p).second;) {
    auto it = table.find(p);
    p = it == table.end() ? 0 : it->second.ppid;
  }
  for (const auto& [pid, e] : table) {
    // Walk up from each process: a descendant of ours reaches self.
    std::set<pid_t> seen;
    for (pid_t p = e.ppid; p > 0 && seen.insert(p).second;) {
      if (p == self) {
        family.insert(pid);
        break;
      }
      auto it = table.find(p);
      p = it == table.end() ? 0 : it->second.ppid;
    }
  }
  return family;
}

std::vector<Result> check_process(const Request& request) {
  const std::string& name = request.args.at(0);
  if (name.empty() || name.find('/') != std::string::npos)
    ops::fail_usage(fmt::format("invalid process name '{}': give the program's name, without a path", ops::shown(name)));
  const auto warn = range_of(request.settings, "warn", kCount);
  const auto crit = range_of(request.settings, "crit", kCount);
  const auto table = read_processes();
  const auto family = own_family(table);
  int count = 0, zombies = 0;
  for (const auto& [pid, e] : table) {
    if (family.count(pid) || !named(pid, e, name)) continue;
    if (e.state == 'Z')
      ++zombies;
    else
      ++count;
  }
  Result r;
  r.check = request.label;
  r.status = judge(count, warn, crit);
  r.value = std::to_string(count);
  r.thresholds = thresholds_text(warn, crit);
  r.message = count == 0 ? fmt::format("no process named {} is running", name)
                         : fmt::format("{} process{} named {} running", count, count == 1 ? "" : "es", name);
  if (zombies) r.message += fmt::format(" ({} defunct not counted)", zombies);
  r.figures.push_back({"processes", static_cast<double>(count), ops::PerfUnit::none, warn, crit, 0.0, {},
                       "processes", {{"name", name}}});
  return {r};
}

}  // namespace

Kind process_kind() {
  return Kind{"process", "NAME",
              "how many processes run under the exact name NAME (not opshealth, its shell or its children)", 1, 1,
              ops::SectionSchema{
                  "health", "a process check",
                  with_common_keys({
                      range_key("warn", kCount, "warning when the count is outside this range (none by default)"),
                      range_key("crit", kCount, "critical when the count is outside this range (default 1:, none running)",
                                "1:"),
                  })},
              check_process};
}

}  // namespace opshealth
