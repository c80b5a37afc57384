#pragma once
// A hash for maps keyed by std::string that are looked up with a
// string_view: a line's PID or address is found without building a string.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace opsaudit {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename T>
using TextMap = std::unordered_map<std::string, T, TextHash, std::equal_to<>>;

}  // namespace opsaudit
