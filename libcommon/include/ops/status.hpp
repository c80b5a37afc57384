#pragma once
// The outcome of a run, shared by every tool. The numbers are the exit codes
// and match the Nagios plugin guidelines, so any ops tool can serve as a check.

#include <string_view>

namespace ops {

enum class Status { ok = 0, warning = 1, critical = 2, unknown = 3 };

// The more serious of two statuses. Unknown ranks above critical only when
// nothing is critical: a failed job matters more than a job we could not judge.
constexpr Status worst(Status a, Status b) noexcept {
  auto rank = [](Status s) {
    switch (s) {
      case Status::ok: return 0;
      case Status::warning: return 1;
      case Status::unknown: return 2;
      case Status::critical: return 3;
    }
    return 3;
  };
  return rank(a) >= rank(b) ? a : b;
}

constexpr int exit_code(Status s) noexcept { return static_cast<int>(s); }

// "OK", "WARNING", "CRITICAL", "UNKNOWN" as Nagios prints them.
std::string_view status_name(Status s) noexcept;

}  // namespace ops
