#pragma once
// Events: what one error leaves in a log, counted once. libcommon's reader
// already hands over a timestamped line with the untimestamped lines after
// it (a Python traceback, PHP's "Stack trace:" and "#0 …" frames). Some
// writers stamp every line of a trace, though: PHP with Xdebug ("PHP Stack
// trace:", "PHP   1. {main}() …") and PHP-FPM relaying a worker's stderr
// ("child 12 said into stderr: "#0 …"") — those records are joined here to
// the record above them.

#include <ops/log_reader.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace opsaudit {

// Whether the timestamped `line` is a frame of the stack trace above it
// rather than an event of its own.
bool continues_above(std::string_view line);

// Joins records, handed over newest first as the reader gives them, into
// events (also newest first): frames are held until the record they belong
// to arrives. Frames with nothing above them in their file (the head of a
// file) are an event of their own.
class EventJoiner {
 public:
  explicit EventJoiner(std::function<void(const ops::LogRecord&)> each) : each_(std::move(each)) {}
  void add(const ops::LogRecord& record);
  void finish();  // at the end of each file

  static constexpr std::size_t kMaxFrames = 1000;  // frames held at most: more are an event of their own

 private:
  std::function<void(const ops::LogRecord&)> each_;
  std::vector<ops::LogRecord> frames_;  // newest first
};

// The group key of an event: the masked message of its first line, and for
// a Python traceback the masked exception line that ends it ("… | ValueError:
// invalid literal for int() with base <n>: '<q>'"), so two different
// exceptions under one "Internal Server Error" are two groups.
std::string event_key(const std::vector<std::string>& lines);

// Whether `line` is written at a level of critical or above: its message
// (the timestamp and process id taken off) starts with CRITICAL, ALERT,
// EMERGENCY or EMERG, in upper case, or has it after a syslog tag (Python
// logging, Monolog's app.CRITICAL:, PHP-FPM's ALERT:, "app: EMERGENCY:"),
// or starts with a bracketed level crit, alert, emerg or critical in any
// case (nginx's [crit], Apache's [core:alert], gunicorn's [CRITICAL]).
bool critical_level(std::string_view line);

// Whether `line` is binary data, not text: a NUL or another control byte
// than tab and escape (terminal colours).
bool binary_line(std::string_view line);

}  // namespace opsaudit
