#include <ops/error.hpp>

#include <cstring>

namespace ops {

void fail_usage(std::string message, std::string hint) {
  throw Error(Status::unknown, std::move(message), std::move(hint));
}

void fail(std::string message) { throw Error(Status::critical, std::move(message)); }

void fail_errno(std::string message, int err) {
  throw Error(Status::critical, std::move(message) + ": " + errno_text(err));
}

void fail_unknown_errno(std::string message, int err) {
  throw Error(Status::unknown, std::move(message) + ": " + errno_text(err));
}

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns a pointer that may or may not be buf.
  return ::strerror_r(err, buf, sizeof buf);
}

}  // namespace ops
