#pragma once
// Diagnostics on stderr, prefixed with the tool's name ("opsdf: warning: …"),
// and optionally copied to syslog. stdout is for results only.

#include <fmt/format.h>
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
void warning_line(std::string_view message);  // "tool: warning: …", shown even with --quiet
void hint_line(std::string_view message);     // "tool: hint: …", follows an error
void info_line(std::string_view message);     // "tool: …", only with --verbose

template <typename... Args>
void warning(fmt::format_string<Args...> f, Args&&... args) {
  warning_line(fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  if (verbosity() == Verbosity::verbose) info_line(fmt::format(f, std::forward<Args>(args)...));
}

// How many warnings were printed: a tool whose run produced warnings exits 1.
int warning_count();

}  // namespace ops::log
