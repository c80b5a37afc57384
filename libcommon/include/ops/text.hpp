#pragma once
// Text helpers more than one tool needs.

#include <string>
#include <string_view>

namespace ops {

// ASCII letters in lower case, every other byte as it is: for keywords, unit
// names and identifiers compared without case (SQLite and MySQL fold ASCII
// only; UTF-8 bytes must come through untouched).
std::string ascii_lower(std::string_view text);

// C's isspace in the C locale: space, tab, newline, vertical tab, form feed, return.
inline constexpr std::string_view ascii_space = " \t\n\v\f\r";

// `text` without the bytes of `blanks` at either end. A grammar with its own
// idea of a blank (logrotate's is space and tab only) passes its set.
std::string_view trim(std::string_view text, std::string_view blanks = ascii_space);

}  // namespace ops
