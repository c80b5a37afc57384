#pragma once
// Diagnostics on stderr, prefixed with the tool's name ("opsdf: warning: …"),
// and optionally copied to syslog. stdout is for results only.

#include <ops/status.hpp>

#include <atomic>
#include <fmt/format.h>
#include <functional>
#include <string>
#include <string_view>

namespace ops::log {

enum class Verbosity { quiet, normal, verbose };

void set_program(std::string name);
const std::string& program();
void set_verbosity(Verbosity v);
Verbosity verbosity();
void enable_syslog();

void error_line(std::string_view message);    // "tool: error: …", always shown
// "tool: warning: …", shown even with --quiet. Prints only: the caller sets
// the exit status right there, or uses a Warnings, which counts.
void warning_line(std::string_view message);
void hint_line(std::string_view message);     // "tool: hint: …", follows an error
void info_line(std::string_view message);     // "tool: …", only with --verbose

// A second destination for every line, as printed on stderr ("tool: error:
// …\n"), e.g. a run's own log file (opsrotate -l, logrotate's -l). It also
// gets the verbose lines of info(), which stderr shows only with --verbose.
// A sink that throws is dropped (with an error on stderr); an empty function
// stops the copy. The sink lives until replaced, so the error of an
// exception that ends the run is copied too.
void set_copy(std::function<void(std::string_view line)> sink);
bool copying();
// What info() copies without showing: a line for the sink only.
void copy_only(std::string_view message);

template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (verbosity() == Verbosity::verbose) info_line(fmt::format(f, std::forward<Args>(args)...));
  else if (copying()) copy_only(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace ops::log

namespace ops {

// The warnings of one run, printed as they come and counted, so that the code
// that ends the run turns them into its exit status in plain sight:
//   return ops::worst(status, ctx.warnings.status());
// Code deep down that may warn takes a Warnings& from its caller. There is no
// global count: a warning that no Warnings counted does not change the exit.
class Warnings {
 public:
  Warnings() = default;
  Warnings(const Warnings&) = delete;
  Warnings& operator=(const Warnings&) = delete;

  // Prints "tool: warning: message" (see log::warning_line) and counts it.
  void add(std::string_view message);
  template <typename... Args>
  void add(fmt::format_string<Args...> f, Args&&... args) {
    add(std::string_view(fmt::format(f, std::forward<Args>(args)...)));
  }

  int count() const noexcept { return count_.load(); }
  // Status::warning once anything was added, Status::ok before.
  Status status() const noexcept { return count() > 0 ? Status::warning : Status::ok; }

 private:
  std::atomic<int> count_{0};  // add() may be called from worker threads
};

}  // namespace ops
