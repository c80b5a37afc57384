#pragma once
// Text helpers more than one tool needs.

#include <string>
#include <string_view>

namespace ops {

// ASCII letters in lower case, every other byte as it is: for keywords, unit
// names and identifiers compared without case (SQLite and MySQL fold ASCII
// only; UTF-8 bytes must come through untouched).
std::string ascii_lower(std::string_view text);

}  // namespace ops
