#include <ops/status.hpp>

namespace ops {

std::string_view status_name(Status s) noexcept {
  switch (s) {
    case Status::ok: return "OK";
    case Status::warning: return "WARNING";
    case Status::critical: return "CRITICAL";
    case Status::unknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

}  // namespace ops
