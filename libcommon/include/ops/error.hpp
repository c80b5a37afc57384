#pragma once
// One exception type for the whole suite. It carries the message the user will
// read (without the "tool: error: " prefix) and the exit status it should cause.
// The cli main wrapper catches it; nothing else prints errors.

#include <ops/status.hpp>
#include <ops/text.hpp>

#include <stdexcept>
#include <string>

namespace ops {

class Error : public std::runtime_error {
 public:
  // The message is made printable here, not only when printed: what() is a C
  // string, and a NUL from a quoted value would cut it short.
  Error(Status status, std::string_view message, std::string hint = {})
      : std::runtime_error(printable_line(message)), status_(status), hint_(std::move(hint)) {}

  Status status() const noexcept { return status_; }
  // An optional second line telling the user the obvious fix.
  const std::string& hint() const noexcept { return hint_; }

 private:
  Status status_;
  std::string hint_;
};

// Bad usage or bad configuration: exit 3, nothing was changed.
[[noreturn]] void fail_usage(std::string message, std::string hint = {});
// The job failed: exit 2.
[[noreturn]] void fail(std::string message);
// The job failed because a system call did: appends ": " and strerror(err).
[[noreturn]] void fail_errno(std::string message, int err);
// Could not determine (unknown, exit 3) because of a system call.
[[noreturn]] void fail_unknown_errno(std::string message, int err);

// strerror(err) without the thread-safety trap of strerror().
std::string errno_text(int err);

}  // namespace ops
