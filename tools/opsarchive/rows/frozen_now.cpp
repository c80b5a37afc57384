#include "opsarchive/rows/frozen_now.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace opsarchive {

namespace {

using ops::db::Engine;

bool is_word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }


std::string literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Skips a quoted token starting at text[i] (the quote), returning the index
// after it. Doubled quotes stay inside; MySQL strings also take backslashes.
std::size_t skip_quoted(std::string_view text, std::size_t i, bool backslash) {
  const char quote = text[i++];
  while (i < text.size()) {
    if (backslash && text[i] == '\\') {
      i += 2;
      continue;
    }
    if (text[i] == quote) {
      if (i + 1 < text.size() && text[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return text.size();
}

std::size_t skip_space(std::string_view text, std::size_t i) {
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

// "()" or "(digits)" after a function name: the index after it, or nullopt.
std::optional<std::size_t> call_parens(std::string_view text, std::size_t i, bool digits_allowed) {
  i = skip_space(text, i);
  if (i >= text.size() || text[i] != '(') return std::nullopt;
  i = skip_space(text, i + 1);
  if (digits_allowed)
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  i = skip_space(text, i);
  if (i >= text.size() || text[i] != ')') return std::nullopt;
  return i + 1;
}

struct Replacement {
  std::string text;
  std::size_t end;
};

std::optional<Replacement> postgres_now(std::string_view text, std::string_view word, std::size_t end,
                                        const StartTime& s) {
  const std::string w = ops::ascii_lower(word);
  auto typed = [&](const std::string& value, const char* type) { return literal(value) + "::" + type; };
  if (w == "now" || w == "transaction_timestamp" || w == "statement_timestamp" || w == "clock_timestamp") {
    if (auto after = call_parens(text, end, false)) return Replacement{typed(s.timestamp_tz, "timestamptz"), *after};
    return std::nullopt;
  }
  // SQL's keywords, with an optional precision: current_timestamp(3).
  const char* type = w == "current_timestamp" ? "timestamptz"
                     : w == "localtimestamp"  ? "timestamp"
                     : w == "current_date"    ? "date"
                     : w == "current_time"    ? "timetz"
                     : w == "localtime"       ? "time"
                                              : nullptr;
  if (!type) return std::nullopt;
  const std::string& value = w == "current_timestamp" ? s.timestamp_tz
                             : w == "localtimestamp"  ? s.timestamp
                             : w == "current_date"    ? s.date
                             : w == "current_time"    ? s.time_tz
                                                      : s.time;
  std::size_t after = end;
  if (w != "current_date")
    if (auto p = call_parens(text, end, true)) after = *p;
  return Replacement{typed(value, type), after};
}

std::optional<Replacement> sqlite_now(std::string_view word, std::size_t end, const StartTime& s) {
  const std::string w = ops::ascii_lower(word);
  if (w == "current_timestamp") return Replacement{literal(s.timestamp), end};
  if (w == "current_date") return Replacement{literal(s.date), end};
  if (w == "current_time") return Replacement{literal(s.time), end};
  return std::nullopt;
}

}  // namespace

std::string freeze_now(Engine engine, std::string_view where, const StartTime& start, bool* changed) {
  std::string out;
  out.reserve(where.size() + 32);
  bool replaced = false;
  std::size_t i = 0;
  while (i < where.size()) {
    const char c = where[i];
    if (c == '-' && i + 1 < where.size() && where[i + 1] == '-') {
      const std::size_t eol = where.find('\n', i);
      const std::size_t end = eol == std::string_view::npos ? where.size() : eol;
      out.append(where.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < where.size() && where[i + 1] == '*') {
      const std::size_t close = where.find("*/", i + 2);
      const std::size_t end = close == std::string_view::npos ? where.size() : close + 2;
      out.append(where.substr(i, end - i));
      i = end;
    } else if (c == '\'' || c == '"' || c == '`') {
      const std::size_t end = skip_quoted(where, i, engine == Engine::mysql && c != '`');
      const std::string_view token = where.substr(i, end - i);
      // SQLite's date functions take the string 'now': date('now', '-90 days').
      if (engine == Engine::sqlite && c == '\'' && ops::ascii_lower(token) == "'now'") {
        out += literal(start.timestamp);
        replaced = true;
      } else {
        out.append(token);
      }
      i = end;
    } else if (is_word_start(c) && (i == 0 || (!is_word_char(where[i - 1]) && where[i - 1] != '.'))) {
      std::size_t end = i;
      while (end < where.size() && is_word_char(where[end])) ++end;
      const std::string_view word = where.substr(i, end - i);
      if (engine == Engine::mysql && ops::ascii_lower(word) == "sysdate" && call_parens(where, end, true))
        ops::fail_usage(fmt::format("--where calls SYSDATE(), which changes during the run: '{}'", where),
                        "use NOW(): opsarchive fixes it at the start of the run");
      std::optional<Replacement> r;
      if (engine == Engine::postgresql) r = postgres_now(where, word, end, start);
      else if (engine == Engine::sqlite) r = sqlite_now(word, end, start);
      if (r) {
        out += r->text;
        replaced = true;
        i = r->end;
      } else {
        out.append(word);
        i = end;
      }
    } else if (c == '$' && engine == Engine::postgresql) {
      // A dollar-quoted string ($$...$$ or $tag$...$tag$) is copied whole.
      std::size_t tag_end = i + 1;
      while (tag_end < where.size() && is_word_char(where[tag_end]) && where[tag_end] != '$') ++tag_end;
      if (tag_end < where.size() && where[tag_end] == '$' && !(tag_end > i + 1 && std::isdigit(static_cast<unsigned char>(where[i + 1])))) {
        const std::string_view tag = where.substr(i, tag_end - i + 1);
        const std::size_t close = where.find(tag, tag_end + 1);
        const std::size_t end = close == std::string_view::npos ? where.size() : close + tag.size();
        out.append(where.substr(i, end - i));
        i = end;
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  if (changed) *changed = replaced;
  return out;
}

}  // namespace opsarchive
