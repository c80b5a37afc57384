#pragma once
// Text helpers more than one tool needs.

#include <cstddef>
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

// A value as a message shows it. A file name, an argument or a configuration
// value is whatever the user (or an attacker) made it: an escape sequence in
// it would colour or rewrite the terminal, a newline would split the one-line
// message in two, a NUL would cut it. So control bytes are escaped (\n, \t,
// \r, \xHH; the C1 controls U+0080..U+009F as \uHHHH), bytes that are not
// UTF-8 as \xHH, and a value longer than `max` bytes keeps its first `max`
// bytes (whole characters) followed by "…". Every value a message echoes goes
// through it, usually as fmt::format("'{}'", shown(value)).
std::string shown(std::string_view value, std::size_t max = 160);

// A whole message made safe for one line of a terminal or syslog: the escapes
// of shown(), and a message longer than `max` bytes keeps its head and its tail
// (where the reason usually is) around "…". The log functions pass every line
// through it, so no message can escape it.
std::string printable_line(std::string_view message, std::size_t max = 2048);

}  // namespace ops
