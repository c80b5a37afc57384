// libFuzzer target for opsaudit logs' reading of messages: whatever the
// bytes, each line's masked message (logs/message_mask.hpp) is short, the
// level and frame tests (logs/log_events.hpp) answer, and the lines joined
// as records and events keep every line; a crash, a leak, undefined
// behaviour, a long key or a lost line is a finding.
#include "opsaudit/logs/log_events.hpp"
#include "opsaudit/logs/message_mask.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  const ops::SysTime now{};
  std::size_t seen = 0;
  opsaudit::EventJoiner joiner([&](const ops::LogRecord& event) {
    if (event.lines.empty()) std::abort();
    seen += event.lines.size();
    if (opsaudit::event_key(event.lines).size() > 2 * (opsaudit::kMaskedBytes + 3) + 3) std::abort();
  });
  for (const std::string& line : lines) {
    if (opsaudit::masked_message(line).size() > opsaudit::kMaskedBytes + 3) std::abort();  // + "…"
    (void)opsaudit::critical_level(line);
    (void)opsaudit::binary_line(line);
    // Every line a record of its own, newest first as the reader gives them.
    (void)opsaudit::continues_above(line);
  }
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) joiner.add(ops::LogRecord{"f", now, {*it}});
  joiner.finish();
  if (seen != lines.size()) std::abort();
  return 0;
}
