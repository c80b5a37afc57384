#include <ops/text.hpp>

#include <fmt/format.h>

namespace ops {

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view text, std::string_view blanks) {
  const std::size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is none.
std::size_t utf8_length(std::string_view s, char32_t& code) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = b(0);
  std::size_t n;
  char32_t min;
  if (lead < 0x80) {
    code = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2, code = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3, code = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4, code = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (b(i) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

// Appends the next character of `s` to `out`, escaped if it must be, and
// returns how many bytes of `s` it took.
std::size_t append_escaped(std::string& out, std::string_view s) {
  char32_t code = 0;
  const std::size_t n = utf8_length(s, code);
  if (n == 0) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[0]));
    return 1;
  }
  switch (code) {
    case '\n': out += "\\n"; return n;
    case '\t': out += "\\t"; return n;
    case '\r': out += "\\r"; return n;
    default: break;
  }
  if (code < 0x20 || code == 0x7F)
    out += fmt::format("\\x{:02x}", static_cast<unsigned>(code));
  else if (code >= 0x80 && code <= 0x9F)
    out += fmt::format("\\u{:04x}", static_cast<unsigned>(code));
  else
    out.append(s.substr(0, n));
  return n;
}

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) i += append_escaped(out, text.substr(i));
  return out;
}

// The longest prefix of `text` of at most `max` bytes that ends on a character
// boundary (continuation bytes never start the cut-off part).
std::string_view head_of(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string_view tail_of(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t start = text.size() - max;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return text.substr(start);
}

constexpr std::string_view ellipsis = "\u2026";

}  // namespace

std::string shown(std::string_view value, std::size_t max) {
  // Character by character, so a cut never splits an escape or a UTF-8
  // sequence, and a 10 MB value costs no more than `max` bytes of work.
  std::string out;
  std::string next;
  for (std::size_t i = 0; i < value.size();) {
    next.clear();
    const std::size_t n = append_escaped(next, value.substr(i));
    if (out.size() + next.size() > max) return out.append(ellipsis);
    out += next;
    i += n;
  }
  return out;
}

std::string printable_line(std::string_view message, std::size_t max) {
  std::string out = escaped(message);
  if (out.size() <= max) return out;
  const std::size_t half = (max - ellipsis.size()) / 2;
  std::string line(head_of(out, half));
  return line.append(ellipsis).append(tail_of(out, half));
}

}  // namespace ops
