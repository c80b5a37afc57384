#include "opsaudit/logs/log_events.hpp"

#include "opsaudit/logs/message_mask.hpp"

#include <ops/pattern.hpp>
#include <ops/text.hpp>

#include <algorithm>
#include <array>

namespace opsaudit {

bool continues_above(std::string_view line) {
  // Most lines are no frame: a look for the words every frame has first.
  if (line.find("Stack trace:") == std::string_view::npos && line.find('#') == std::string_view::npos &&
      line.find("PHP  ") == std::string_view::npos && line.find("thrown in ") == std::string_view::npos)
    return false;
  static const ops::Pattern frame(
      R"(^(?:NOTICE: )?(?:PHP message: )?(?:PHP )?(?:Stack trace:|#\d+ |#\d+$|\s*\d+\. |\s*thrown in ))");
  const std::string message = message_text(line);
  std::string_view text = message;
  // PHP-FPM's relay: "WARNING: [pool www] child said into stderr: #0 …".
  if (const std::size_t said = text.find("said into std"); said != std::string_view::npos) {
    const std::size_t colon = text.find(": ", said);
    if (colon == std::string_view::npos) return false;
    text = ops::trim(text.substr(colon + 2));
  }
  return frame.matches(text);
}

void EventJoiner::add(const ops::LogRecord& record) {
  if (!frames_.empty() && frames_.front().file != record.file) finish();
  if (record.time && !record.lines.empty() && continues_above(record.lines.front())) {
    // A log of nothing but frames is not held whole.
    if (frames_.size() >= kMaxFrames) finish();
    frames_.push_back(record);
    return;
  }
  if (frames_.empty()) {
    each_(record);
    return;
  }
  ops::LogRecord event = record;
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
    event.lines.insert(event.lines.end(), it->lines.begin(), it->lines.end());
  frames_.clear();
  each_(event);
}

void EventJoiner::finish() {
  if (frames_.empty()) return;
  ops::LogRecord event = frames_.back();  // the oldest frame stands for the event above it
  for (auto it = std::next(frames_.rbegin()); it != frames_.rend(); ++it)
    event.lines.insert(event.lines.end(), it->lines.begin(), it->lines.end());
  frames_.clear();
  each_(event);
}

std::string event_key(const std::vector<std::string>& lines) {
  if (lines.empty()) return {};
  std::string key = masked_message(lines.front());
  const auto traceback = std::find_if(lines.begin() + 1, lines.end(), [](const std::string& l) {
    return ops::trim(l).substr(0, 35) == "Traceback (most recent call last):";
  });
  if (traceback == lines.end()) return key;
  // The exception is the last line of the traceback that is not indented.
  for (auto it = lines.rbegin(); it.base() != traceback + 1; ++it) {
    if (it->empty() || it->front() == ' ' || it->front() == '\t') continue;
    const std::string exception = mask_values(ops::trim(*it));
    if (!exception.empty()) key += " | " + exception;
    break;
  }
  return key;
}

namespace {

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return u;
}

bool critical_word(std::string_view word) {
  static constexpr std::array<std::string_view, 5> levels{"CRITICAL", "CRIT", "ALERT", "EMERG", "EMERGENCY"};
  return std::find(levels.begin(), levels.end(), word) != levels.end();
}

}  // namespace

bool critical_level(std::string_view line) {
  const std::string message = message_text(line);
  const std::string_view text = message;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close > 40) return false;
    std::string_view level = text.substr(1, close - 1);
    if (const std::size_t colon = level.rfind(':'); colon != std::string_view::npos) level.remove_prefix(colon + 1);
    return critical_word(upper(level));
  }
  // The first word ("CRITICAL", Monolog's "app.CRITICAL:"), or the one after
  // a syslog tag ("app: EMERGENCY: …").
  const auto level_word = [](std::string_view word) {
    if (const std::size_t dot = word.rfind('.'); dot != std::string_view::npos) word.remove_prefix(dot + 1);
    return word != "CRIT" && critical_word(word);
  };
  const std::size_t end = text.find_first_of(" \t:");
  if (level_word(text.substr(0, end))) return true;
  if (end == std::string_view::npos || text.substr(end, 2) != ": ") return false;
  const std::string_view rest = text.substr(end + 2);
  return level_word(rest.substr(0, rest.find_first_of(" \t:")));
}

bool binary_line(std::string_view line) {
  return std::any_of(line.begin(), line.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != 0x1b) || c == 0x7f;
  });
}

}  // namespace opsaudit
