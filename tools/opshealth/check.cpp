#include "opshealth/check.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace opshealth {

std::chrono::milliseconds Request::time_left() const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

const Kind* find_kind(std::string_view name) {
  for (const Kind& k : kinds())
    if (k.name == name) return &k;
  return nullptr;
}

std::string masked_argument(std::string_view arg) {
  const auto scheme = arg.find("://");
  if (scheme == std::string_view::npos) return std::string(arg);
  const auto authority = scheme + 3;
  const auto end = std::min(arg.find_first_of("/?#", authority), arg.size());
  const auto at = arg.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(arg);
  const auto colon = arg.substr(authority, at - authority).find(':');
  if (colon == std::string_view::npos) return std::string(arg);
  std::string out(arg.substr(0, authority + colon + 1));
  out += "***";
  out += arg.substr(at);
  return out;
}

void cannot_tell(std::string message) { throw ops::Error(ops::Status::unknown, message); }

std::string thresholds_text(const std::optional<ops::Range>& warn, const std::optional<ops::Range>& crit) {
  std::string text;
  if (warn) text = "warn " + warn->text;
  if (crit) text += (text.empty() ? "crit " : " crit ") + crit->text;
  return text;
}

ops::Status judge(double value, const std::optional<ops::Range>& warn, const std::optional<ops::Range>& crit) {
  if (crit && crit->alerts(value)) return ops::Status::critical;
  if (warn && warn->alerts(value)) return ops::Status::warning;
  return ops::Status::ok;
}

}  // namespace opshealth
