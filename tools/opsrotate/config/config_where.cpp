#include "opsrotate/config/config_where.hpp"

#include <fmt/format.h>

namespace opsrotate {

ops::Error Where::error(const std::string& what, const std::string& hint) const {
  // The file's hint (CRLF line endings) explains any error in that file best.
  return ops::Error(ops::Status::unknown, fmt::format("{}:{}: {}", file, line, what), file_hint.empty() ? hint : file_hint);
}

void Where::fail(const std::string& what, const std::string& hint) const { throw error(what, hint); }

std::string shown(std::string_view text, std::size_t max_shown) {
  std::string out = "'";
  std::size_t i = 0;
  for (; i < text.size() && i < max_shown; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  if (i < text.size()) out += "...";
  return out + "'";
}

}  // namespace opsrotate
