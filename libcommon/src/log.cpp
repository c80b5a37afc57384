#include <ops/log.hpp>

#include <ops/text.hpp>

#include <cstdio>
#include <exception>
#include <mutex>
#include <syslog.h>

namespace ops::log {

namespace {
std::string g_program = "ops";
Verbosity g_verbosity = Verbosity::normal;
bool g_syslog = false;
std::function<void(std::string_view)> g_copy;
std::mutex g_mutex;

// Called with g_mutex held.
void copy_line(const std::string& line) {
  if (!g_copy) return;
  try {
    g_copy(line);
  } catch (const std::exception& e) {
    g_copy = nullptr;
    std::string note = g_program + ": error: cannot copy messages any more: " + printable_line(e.what()) + "\n";
    std::fwrite(note.data(), 1, note.size(), stderr);
  }
}

void emit(int priority, std::string_view label, std::string_view raw, bool show = true) {
  // Whatever a message quotes, it stays one printable line (see printable_line).
  const std::string message = printable_line(raw);
  std::lock_guard lock(g_mutex);
  std::string line = g_program + ": ";
  if (!label.empty()) line.append(label).append(": ");
  line.append(message).push_back('\n');
  if (show) {
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
    if (g_syslog) ::syslog(priority, "%.*s", static_cast<int>(message.size()), message.data());
  }
  copy_line(line);
}
}  // namespace

void set_copy(std::function<void(std::string_view line)> sink) {
  std::lock_guard lock(g_mutex);
  g_copy = std::move(sink);
}

bool copying() {
  std::lock_guard lock(g_mutex);
  return static_cast<bool>(g_copy);
}

void copy_only(std::string_view message) { emit(LOG_INFO, "", message, false); }

void set_program(std::string name) { g_program = std::move(name); }
const std::string& program() { return g_program; }
void set_verbosity(Verbosity v) { g_verbosity = v; }
Verbosity verbosity() { return g_verbosity; }

void enable_syslog() {
  if (g_syslog) return;
  // openlog keeps the pointer: g_program lives for the whole run.
  ::openlog(g_program.c_str(), LOG_PID, LOG_USER);
  g_syslog = true;
}

void error_line(std::string_view message) { emit(LOG_ERR, "error", message); }

void warning_line(std::string_view message) {
  // Shown even with --quiet: a warning is not a success, and cron mails it.
  emit(LOG_WARNING, "warning", message);
}

void hint_line(std::string_view message) { emit(LOG_INFO, "hint", message); }
void info_line(std::string_view message) { emit(LOG_INFO, "", message); }
}  // namespace ops::log

namespace ops {

void Warnings::add(std::string_view message) {
  ++count_;
  log::warning_line(message);
}

}  // namespace ops
