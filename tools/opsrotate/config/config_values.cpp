#include "opsrotate/config/config_values.hpp"

#include <ops/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace opsrotate {

namespace {

enum class NumberError { none, bad, too_big };

struct Number {
  std::uint64_t value = 0;
  NumberError error = NumberError::none;
};

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// What strtoul(text, &end, 0) reads when it must read all of text, without
// its silent wrap-around: an optional '+', then 0x… hex, 0… octal or decimal.
Number c_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  unsigned base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  if (text.empty()) return {0, NumberError::bad};
  Number n;
  for (char c : text) {
    auto d = static_cast<unsigned>(digit_value(c));
    if (d >= base) return {0, NumberError::bad};
    if (n.value > (std::numeric_limits<std::uint64_t>::max() - d) / base) n.error = NumberError::too_big;
    else n.value = n.value * base + d;
  }
  return n;
}

// "08" is no number to logrotate (a leading 0 means octal): say so.
bool looks_decimal_with_zero(std::string_view text) {
  return text.size() > 1 && text[0] == '0' && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

bool is_blank(char c) { return c == ' ' || c == '\t'; }

long long parse_count(const Where& where, std::string_view directive, std::string_view text,
                      long long min, long long max) {
  std::string range = max == std::numeric_limits<int>::max()
                          ? fmt::format("{} takes a whole number >= {}", directive, min)
                          : fmt::format("{} takes a whole number from {} to {}", directive, min, max);
  if (directive == "rotate") range += " (-1 keeps every old log)";
  bool negative = !text.empty() && text.front() == '-';
  Number n = c_number(negative ? text.substr(1) : text);
  if (n.error == NumberError::bad && looks_decimal_with_zero(text))
    where.fail(fmt::format("bad number for {} {}", directive, shown(text)),
               fmt::format("a leading 0 makes a number octal, as logrotate reads it: write '{}'",
                           text.substr(std::min(text.find_first_not_of('0'), text.size() - 1))));
  if (n.error == NumberError::bad)
    where.fail(fmt::format("bad number for {} {}", directive, shown(text)), range);
  long long value = 0;
  if (n.error == NumberError::none && n.value <= static_cast<std::uint64_t>(std::numeric_limits<long long>::max()))
    value = negative ? -static_cast<long long>(n.value) : static_cast<long long>(n.value);
  else
    where.fail(fmt::format("number out of range for {} {}", directive, shown(text)), range);
  if (value < min || value > max)
    where.fail(fmt::format("number out of range for {} {}", directive, shown(text)), range);
  return value;
}

std::uint64_t parse_size(const Where& where, std::string_view directive, std::string_view text) {
  const char* hint = "a size is a whole number of bytes with an optional unit k or K (KiB), M (MiB) or G (GiB)";
  std::uint64_t unit = 1;
  std::string_view digits = text;
  char last = text.empty() ? '\0' : text.back();
  if ((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z')) {
    digits.remove_suffix(1);
    if (last == 'k' || last == 'K') unit = 1024;
    else if (last == 'M') unit = 1024 * 1024;
    else if (last == 'G') unit = 1024 * 1024 * 1024;
    else if (last == 'm' || last == 'g')
      where.fail(fmt::format("unknown unit in {} {}", directive, shown(text)),
                 fmt::format("logrotate refuses a lowercase '{}': write '{}{}' ({})", last, digits,
                             static_cast<char>(last - 'a' + 'A'), hint));
    else
      where.fail(fmt::format("unknown unit in {} {}", directive, shown(text)), hint);
  }
  Number n = c_number(digits);
  if (n.error == NumberError::bad) where.fail(fmt::format("bad size for {} {}", directive, shown(text)), hint);
  if (n.error == NumberError::too_big || n.value > std::numeric_limits<std::uint64_t>::max() / unit)
    where.fail(fmt::format("size out of range for {} {}", directive, shown(text)), hint);
  return n.value * unit;
}

mode_t parse_mode(const Where& where, std::string_view directive, std::string_view text) {
  unsigned value = 0;
  bool ok = !text.empty();
  for (char c : text) {
    if (c < '0' || c > '7' || value > 07777) {
      ok = false;
      break;
    }
    value = value * 8 + static_cast<unsigned>(c - '0');
  }
  if (!ok || value > 07777)
    where.fail(fmt::format("bad mode for {} {}", directive, shown(text)),
               "the mode is octal, from 0 to 07777, e.g. 0640");
  return static_cast<mode_t>(value);
}

int parse_weekday(const Where& where, std::string_view text) {
  // Decimal here, unlike the other numbers: logrotate takes "07" and "+3" but not "010".
  std::string_view digits = !text.empty() && text.front() == '+' ? text.substr(1) : text;
  int day = 0;
  bool ok = !digits.empty();
  for (char c : digits) {
    if (c < '0' || c > '9' || day > 7) ok = false;
    else day = day * 10 + (c - '0');
  }
  if (!ok || day > 7)
    where.fail(fmt::format("bad weekday for weekly {}", shown(text)),
               "weekly takes 0 (Sunday) to 6 (Saturday), or 7 for every 7 days");
  return day;
}

void check_dateformat(const Where& where, std::string_view text) {
  // logrotate 3.21 (logrotate.c): the date goes to a 64-byte buffer, and the
  // glob pattern it finds old dated rotations with to a 128-byte one, where
  // %Y takes 20 characters ("[0-9][0-9]" twice), %s 50, the others 10.
  // logrotate refuses a specifier that brings the pattern to 127, a plain
  // character only past that.
  constexpr std::size_t max_date = 63;
  constexpr std::size_t max_pattern = 127;
  std::size_t date = 0;
  std::size_t pattern = 0;
  bool ends_in_specifier = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '/')
      where.fail(fmt::format("dateformat {} would make a path: '/' in a file name", shown(text)),
                 "the date is part of the rotated file's name: separate its parts with '-', '_' or '.'");
    ends_in_specifier = text[i] == '%';
    if (text[i] != '%') {
      date += 1;
      pattern += 1;
      continue;
    }
    std::string_view spec = text.substr(i, 2);
    if (spec.size() < 2 || std::string_view("YmdHMSVs").find(spec[1]) == std::string_view::npos)
      where.fail(fmt::format("unsupported specifier {} in dateformat {}", shown(spec), shown(text)),
                 "logrotate allows only %Y %m %d %H %M %S %V and %s (it would copy anything else "
                 "into the file name literally)");
    date += spec[1] == 'Y' ? 4 : spec[1] == 's' ? 10 : 2;
    pattern += spec[1] == 'Y' ? 20 : spec[1] == 's' ? 50 : 10;
    ++i;
  }
  if (date > max_date || pattern > max_pattern || (pattern == max_pattern && ends_in_specifier))
    where.fail(fmt::format("date format {} is too long", shown(text)),
               fmt::format("logrotate holds at most {} bytes of date (%Y makes 4, %s 10, the other specifiers 2) "
                           "and a pattern of the format under {} characters (%Y counts 20, %s 50, the others 10)",
                           max_date, max_pattern));
}

std::vector<std::string> split_patterns(const Where& where, std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = '\0';
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == quote) quote = '\0';
      else if (c == '\\' && i + 1 < text.size() && text[i + 1] == quote) word += text[++i];
      else word += c;
    } else if (is_blank(c) || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\') {
      if (i + 1 == text.size())
        where.fail(fmt::format("backslash at the end of log file patterns {}", shown(text)));
      word += text[++i];
    } else {
      word += c;
    }
    in_word = true;
  }
  if (quote)
    where.fail(fmt::format("unterminated quote in log file patterns {}", shown(ops::trim(text, blanks_and_newlines))),
               fmt::format("close the {} before '{{'", quote == '"' ? "double quote" : "quote"));
  if (in_word) words.push_back(std::move(word));
  for (const auto& w : words)
    if (w.empty()) where.fail(fmt::format("empty log file pattern in {}", shown(ops::trim(text, blanks_and_newlines))));
  return words;
}

std::vector<std::string> split_blanks(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_blank(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_blank(text[i])) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t i = 0;
  auto separator = [](char c) { return is_blank(c) || c == ','; };
  while (i < text.size()) {
    while (i < text.size() && separator(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !separator(text[i])) ++i;
    if (i > start) items.emplace_back(text.substr(start, i - start));
  }
  return items;
}

std::optional<std::string> compresscmd_ext(std::string_view compresscmd) {
  std::string_view program = compresscmd.substr(compresscmd.rfind('/') + 1);
  static constexpr std::pair<std::string_view, std::string_view> known[] = {
      {"gzip", ".gz"},    {"pigz", ".gz"},  {"bzip2", ".bz2"}, {"pbzip2", ".bz2"},  {"lbzip2", ".bz2"},
      {"xz", ".xz"},      {"pixz", ".xz"},  {"zstd", ".zst"},  {"pzstd", ".zst"},   {"compress", ".Z"},
      {"lzma", ".lzma"},  {"lz4", ".lz4"},  {"zip", ".zip"},
  };
  for (const auto& [name, ext] : known)
    if (program == name) return std::string(ext);
  return std::nullopt;
}

}  // namespace opsrotate
