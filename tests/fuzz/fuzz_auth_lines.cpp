// libFuzzer target for opsaudit logins' line parser: whatever the bytes,
// split_syslog_at returns a line or nothing, parse_auth_message a shape,
// every view it returns lies inside the line, and the attempt counter (with
// room for 4 connections, so eviction runs) and the tally take what comes; a
// crash, a leak or undefined behaviour is a finding.
#include "opsaudit/logins/attempts.hpp"
#include "opsaudit/logins/auth_parse.hpp"
#include "opsaudit/logins/login_tally.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return;
  if (part.data() < whole.data() || part.data() + part.size() > whole.data() + whole.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ::setenv("TZ", "UTC", 1);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ops::SysTime now = ops::parse_time("2026-12-06T12:00:00Z");
  opsaudit::LoginTally tally({now - std::chrono::hours(24 * 7), now - std::chrono::hours(24 * 14),
                              std::chrono::hours(24 * 7), 2});
  opsaudit::AttemptCounter counter([&](const opsaudit::AuthEvent& e) { tally.add(e); }, 4);
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const auto split = opsaudit::split_syslog_at(line, now);
    if (!split) continue;
    inside(split->program, line);
    inside(split->pid, line);
    inside(split->message, line);
    const opsaudit::AuthMessage m = opsaudit::parse_auth_message(*split);
    if (m.shape == opsaudit::AuthShape::none) continue;
    inside(m.user, line);
    inside(m.address, line);
    counter.add(*split, m);
  }
  counter.finish();
  opsaudit::Section section{"logins", "fuzz", {}};
  tally.report(section);
  return 0;
}
