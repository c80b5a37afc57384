#include "opsaudit/logs/message_mask.hpp"

#include <ops/pattern.hpp>
#include <ops/text.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

namespace opsaudit {
namespace {

using Groups = std::vector<std::optional<std::string_view>>;

// Bytes of a line looked at: the masked message keeps kMaskedBytes, and
// masks only shorten text, so four times that is always enough.
constexpr std::size_t kReadBytes = 4 * kMaskedBytes;
// A timestamp sits near the start of a line (after a level word at most).
constexpr std::size_t kStampScan = 120;

bool digit(char c) { return c >= '0' && c <= '9'; }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool hexdigit(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool word(char c) { return digit(c) || alpha(c) || c == '_'; }
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// `text` with the first match of `pattern` (searched in its first `scan`
// bytes) replaced by what `with` makes of the groups.
std::string replace_first(const ops::Pattern& pattern, std::string_view text, std::size_t scan,
                          const std::function<std::string(const Groups&)>& with) {
  const auto found = pattern.search(text.substr(0, std::min(scan, text.size())));
  if (!found) return std::string(text);
  const std::string_view whole = *found->front();
  const std::size_t at = static_cast<std::size_t>(whole.data() - text.data());
  return std::string(text.substr(0, at)) + with(*found) + std::string(text.substr(at + whole.size()));
}

std::string nothing(const Groups&) { return {}; }

// The timestamp formats of ops/log_time.hpp, with the brackets around them;
// syslog's with the host after it.
const ops::Pattern& stamp_pattern() {
  static const ops::Pattern p(
      R"((?:(?:^|(?<=\s))\[?(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|\s?[+-]\d\d:?\d\d|\s?UTC)?)"
      R"(|\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)"
      R"(|\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Za-z+-][\w/+-]*)?)"
      R"(|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4})"
      R"(|\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]?)"
      R"(|^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+)\s*)");
  return p;
}

std::string_view trimmed(std::string_view s) { return ops::trim(s); }

}  // namespace

std::string message_text(std::string_view line) {
  static const ops::Pattern apache_pid(R"(\[pid \d+(?::tid \d+)?\] ?)");
  static const ops::Pattern syslog_tag(R"((?:^|(?<=\s))([A-Za-z][\w./-]*)\[\d+\]:)");
  static const ops::Pattern gunicorn_pid(R"(^\[\d+\] )");
  static const ops::Pattern nginx_pid(R"(^(\[\w+\] )\d+#\d+: (?:\*\d+ )?)");
  static const ops::Pattern fpm_child(R"re(child \d+ said into (std\w+): "(.*?)"?$)re");
  std::string text =
      std::string(trimmed(replace_first(stamp_pattern(), line.substr(0, std::min(line.size(), kReadBytes)),
                                        kStampScan, nothing)));
  text = std::string(trimmed(replace_first(apache_pid, text, kStampScan, nothing)));
  text = replace_first(syslog_tag, text, kStampScan, [](const Groups& g) { return std::string(*g[1]) + ":"; });
  text = replace_first(gunicorn_pid, text, kStampScan, [](const Groups&) { return std::string(); });
  text = replace_first(nginx_pid, text, kStampScan, [](const Groups& g) { return std::string(*g[1]); });
  text = replace_first(fpm_child, text, kReadBytes, [](const Groups& g) {
    return "child said into " + std::string(*g[1]) + ": " + std::string(g[2].value_or(""));
  });
  return std::string(trimmed(text));
}

namespace {

// Each `*_at` is the length of its kind of value at s[i] (0: none there).

std::size_t uuid_at(std::string_view s, std::size_t i) {
  static constexpr std::size_t parts[] = {8, 4, 4, 4, 12};
  std::size_t j = i;
  for (std::size_t p = 0; p < 5; ++p) {
    if (p && (j >= s.size() || s[j++] != '-')) return 0;
    for (std::size_t k = 0; k < parts[p]; ++k, ++j)
      if (j >= s.size() || !hexdigit(s[j])) return 0;
  }
  return j < s.size() && word(s[j]) ? 0 : j - i;
}

std::size_t digits_at(std::string_view s, std::size_t j) {
  std::size_t k = j;
  while (k < s.size() && digit(s[k])) ++k;
  return k - j;
}

// 2026-12-06, 2026/12/06, 06-Dec-2026.
std::size_t date_at(std::string_view s, std::size_t i) {
  auto shape = [&](std::string_view form) {  // d digit, a letter, other bytes as they are
    if (i + form.size() > s.size()) return false;
    for (std::size_t k = 0; k < form.size(); ++k) {
      const char c = s[i + k];
      if (form[k] == 'd' ? !digit(c) : form[k] == 'a' ? !alpha(c) : c != form[k]) return false;
    }
    return i + form.size() == s.size() || !digit(s[i + form.size()]);
  };
  for (std::string_view form : {"dddd-dd-dd", "dddd/dd/dd", "dd-aaa-dddd"})
    if (shape(form)) return form.size();
  return 0;
}

// 09:12:01, 09:12:01.123, 09:12:01,123.
std::size_t time_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (int part = 0; part < 3; ++part) {
    if (part && (j >= s.size() || s[j++] != ':')) return 0;
    if (digits_at(s, j) != 2) return 0;
    j += 2;
  }
  if (j + 1 < s.size() && (s[j] == '.' || s[j] == ',') && digit(s[j + 1])) j += 1 + digits_at(s, j + 1);
  return j < s.size() && word(s[j]) ? 0 : j - i;
}

// 203.0.113.9, with :port.
std::size_t ipv4_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (int part = 0; part < 4; ++part) {
    if (part && (j >= s.size() || s[j++] != '.')) return 0;
    const std::size_t n = digits_at(s, j);
    if (n == 0 || n > 3 || std::stoi(std::string(s.substr(j, n))) > 255) return 0;
    j += n;
  }
  if (j < s.size() && (word(s[j]) || (s[j] == '.' && j + 1 < s.size() && digit(s[j + 1])))) return 0;
  if (j + 1 < s.size() && s[j] == ':' && digit(s[j + 1])) j += 1 + digits_at(s, j + 1);
  return j - i;
}

// 2001:db8::1, fe80::1, ::ffff:192.0.2.1: hex digits and colons with "::"
// or seven colons, and a digit (so PHP's Feed::add is not one).
std::size_t ipv6_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  int colons = 0;
  bool has_digit = false;
  while (j < s.size() && (hexdigit(s[j]) || s[j] == ':' || (s[j] == '.' && colons))) {
    colons += s[j] == ':';
    has_digit |= digit(s[j]);
    ++j;
  }
  const std::string_view run = s.substr(i, j - i);
  if (!has_digit || (j < s.size() && word(s[j]))) return 0;
  if (run.find("::") == std::string_view::npos && colons != 7) return 0;
  return run.size();
}

std::size_t email_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && (word(s[j]) || s[j] == '.' || s[j] == '+' || s[j] == '-')) ++j;
  if (j == i || j >= s.size() || s[j] != '@') return 0;
  std::size_t k = j + 1, dots = 0, label = 0;
  while (k < s.size() && (word(s[k]) || s[k] == '-' || s[k] == '.')) {
    if (s[k] == '.') {
      if (label == 0) break;
      ++dots;
      label = 0;
    } else {
      ++label;
    }
    ++k;
  }
  if (label == 0 && k > j + 1 && s[k - 1] == '.') --k, --dots;  // a full stop after the address
  return dots && label ? k - i : 0;
}

// Where a path or a URL ends: at a blank, a quote or a bracket, or at
// ":<digits>" (its line number); a full stop or comma at its very end is the
// sentence's.
std::size_t run_end(std::string_view s, std::size_t j) {
  while (j < s.size() && !blank(s[j]) && std::string_view("\"'()<>[]{},;").find(s[j]) == std::string_view::npos &&
         !(s[j] == ':' && j + 1 < s.size() && digit(s[j + 1])))
    ++j;
  while (s[j - 1] == '.' || s[j - 1] == ':' || s[j - 1] == ',') --j;
  return j;
}

std::size_t url_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && (alpha(s[j]) || digit(s[j]) || s[j] == '+' || s[j] == '.' || s[j] == '-')) ++j;
  if (j == i || s.substr(j, 3) != "://" || !alpha(s[i])) return 0;
  if (j + 3 >= s.size() || blank(s[j + 3])) return 0;
  std::size_t end = j + 3;
  while (end < s.size() && !blank(s[end]) && std::string_view("\"'<>").find(s[end]) == std::string_view::npos) ++end;
  while (std::string_view(".,;:)").find(s[end - 1]) != std::string_view::npos) --end;
  return end - i;
}

// /var/www/x.php, ~/x, ./x, ../x: only where a path can start (not the "/"
// of "I/O" or "and/or").
std::size_t path_at(std::string_view s, std::size_t i) {
  if (i && std::string_view(" \t([{<=:,'\"").find(s[i - 1]) == std::string_view::npos) return 0;
  std::size_t start_len = 0;
  if (s[i] == '/') start_len = 1;
  else if (s.substr(i, 2) == "~/" || s.substr(i, 2) == "./") start_len = 2;
  else if (s.substr(i, 3) == "../") start_len = 3;
  if (!start_len || i + start_len >= s.size()) return 0;
  const char next = s[i + start_len];
  if (!(word(next) || next == '.' || next == '-' || next == '~' || next == '@')) return 0;
  const std::size_t end = run_end(s, i + start_len);
  return end > i + start_len ? end - i : 0;
}

// The closing quote of the quoted value opening at s[i], or npos.
std::size_t closing_quote(std::string_view s, std::size_t i) {
  const char q = s[i];
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
      continue;
    }
    if (s[j] != q) continue;
    if (q == '"' || j + 1 == s.size() || !word(s[j + 1])) return j;
  }
  return std::string_view::npos;
}

class Masker {
 public:
  std::string run(std::string_view s) {
    for (std::size_t i = 0; i < s.size() && out_.size() < kMaskedBytes;) i = step(s, i);
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (out_.size() >= kMaskedBytes) {
      out_.resize(kMaskedBytes);
      out_ += "…";
    }
    return std::move(out_);
  }

 private:
  void put(std::string_view text) { out_ += text; }

  // One value or one byte at s[i]; where the next step starts.
  std::size_t step(std::string_view s, std::size_t i) {
    const char c = s[i];
    if (blank(c)) {
      if (!out_.empty() && out_.back() != ' ') out_ += ' ';
      return i + 1;
    }
    if (c == '"' || (c == '\'' && (i == 0 || !word(s[i - 1])))) {
      const std::size_t close = closing_quote(s, i);
      if (close != std::string_view::npos) {
        const std::string_view inside = s.substr(i + 1, close - i - 1);
        out_ += c;
        if (std::any_of(inside.begin(), inside.end(), blank)) out_ += Masker().run(inside);
        else if (!inside.empty()) out_ += "<q>";
        out_ += c;
        return close + 1;
      }
    }
    if (std::size_t n = path_at(s, i)) return put("<path>"), i + n;
    const bool word_start = i == 0 || !word(s[i - 1]);
    if (!word_start || !(word(c) || c == ':')) {
      out_ += c;
      return i + 1;
    }
    if (std::size_t n = uuid_at(s, i)) return put("<uuid>"), i + n;
    if (std::size_t n = date_at(s, i)) return put("<date>"), i + n;
    if (std::size_t n = time_at(s, i)) return put("<time>"), i + n;
    if (std::size_t n = ipv4_at(s, i)) return put("<ip>"), i + n;
    if (std::size_t n = ipv6_at(s, i)) return put("<ip>"), i + n;
    if (std::size_t n = url_at(s, i)) return put("<url>"), i + n;
    if (std::size_t n = email_at(s, i)) return put("<email>"), i + n;
    if (c == ':') {
      out_ += c;
      return i + 1;
    }
    return word_at(s, i);
  }

  std::size_t word_at(std::string_view s, std::size_t i) {
    if (s.substr(i, 2) == "0x" || s.substr(i, 2) == "0X") {
      std::size_t j = i + 2;
      while (j < s.size() && hexdigit(s[j])) ++j;
      if (j > i + 2 && (j == s.size() || !word(s[j]))) return put("<hex>"), j;
    }
    std::size_t j = i, digits = 0, letters = 0;
    bool all_hex = true;
    while (j < s.size() && word(s[j])) {
      digits += digit(s[j]);
      letters += alpha(s[j]);
      all_hex &= hexdigit(s[j]);
      ++j;
    }
    const std::size_t len = j - i;
    if (digits == len) {  // a number, and the decimals or version parts after it
      while (j + 1 < s.size() && s[j] == '.' && digit(s[j + 1])) j += 1 + digits_at(s, j + 1);
      return put("<n>"), j;
    }
    if (len >= 7 && all_hex && digits && letters) return put("<hex>"), j;  // 7: git's short hash
    if (len >= 8 && digits >= 2 && letters) return put("<id>"), j;
    if (digit(s[i])) {  // 10MB, 2xx
      const std::size_t n = digits_at(s, i);
      put("<n>");
      return i + n;
    }
    put(s.substr(i, len));
    return j;
  }

  std::string out_;
};

}  // namespace

std::string mask_values(std::string_view text) {
  return Masker().run(text.substr(0, std::min(text.size(), kReadBytes)));
}

std::string masked_message(std::string_view line) { return mask_values(message_text(line)); }

}  // namespace opsaudit
