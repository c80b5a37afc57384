#include "opsdb/slow/sql_fingerprint.hpp"

#include <ops/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace opsdb {
namespace {

// Input read of one statement: a 10 MB multi-row INSERT has shown all it
// will show long before its end.
constexpr std::size_t kReadBytes = 256 * 1024;

enum class Kind { word, ident, literal, list, op, open, close, comma, dot, semicolon };

struct Token {
  Kind kind;
  std::string text;
};

bool digit(char c) { return c >= '0' && c <= '9'; }
bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c & 0x80); }
bool word_char(char c) { return word_start(c) || digit(c) || c == '$'; }
bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Keywords after which "(" is not a function call: the space before it stays.
bool keeps_space_before_paren(std::string_view w) {
  static constexpr std::array<std::string_view, 24> words{
      "and", "or", "not", "in", "values", "where", "select", "from", "join", "on", "exists", "as",
      "when", "then", "else", "by", "set", "into", "union", "all", "any", "some", "table", "using"};
  return std::find(words.begin(), words.end(), w) != words.end();
}

class Lexer {
 public:
  Lexer(std::string_view sql, SqlDialect dialect) : s_(sql), mysql_(dialect == SqlDialect::mysql) {}

  std::vector<Token> tokens() {
    while (i_ < s_.size()) step();
    return std::move(out_);
  }

 private:
  void push(Kind kind, std::string text = {}) { out_.push_back({kind, std::move(text)}); }

  // The end of a quoted run opening at i_ with `q`; `backslash`: \ escapes.
  // Doubled quotes continue it. Unterminated: the end of the text.
  std::size_t quoted_end(char q, bool backslash) const {
    for (std::size_t j = i_ + 1; j < s_.size(); ++j) {
      if (backslash && s_[j] == '\\') {
        ++j;
        continue;
      }
      if (s_[j] != q) continue;
      if (j + 1 < s_.size() && s_[j + 1] == q) {
        ++j;
        continue;
      }
      return j + 1;
    }
    return s_.size();
  }

  // A value may begin here: the unary minus of "= -1", not "a - 1".
  bool value_expected() const {
    if (out_.empty()) return true;
    const Token& t = out_.back();
    return t.kind == Kind::op || t.kind == Kind::open || t.kind == Kind::comma ||
           (t.kind == Kind::word && keeps_space_before_paren(t.text));
  }

  std::size_t number_end(std::size_t j) const {
    if (s_.substr(j, 2) == "0x" || s_.substr(j, 2) == "0X") {
      j += 2;
      while (j < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[j]))) ++j;
      return j;
    }
    while (j < s_.size() && digit(s_[j])) ++j;
    if (j < s_.size() && s_[j] == '.') {
      ++j;
      while (j < s_.size() && digit(s_[j])) ++j;
    }
    if (j + 1 < s_.size() && (s_[j] == 'e' || s_[j] == 'E') &&
        (digit(s_[j + 1]) || ((s_[j + 1] == '-' || s_[j + 1] == '+') && j + 2 < s_.size() && digit(s_[j + 2])))) {
      j += 2;
      while (j < s_.size() && digit(s_[j])) ++j;
    }
    return j;
  }

  void step() {
    const char c = s_[i_];
    const std::string_view rest = s_.substr(i_);
    if (blank(c)) {
      ++i_;
    } else if (rest.starts_with("/*")) {
      // PostgreSQL nests block comments; MySQL does not, and a nested opener
      // there is text of the comment: the first */ ends it.
      std::size_t depth = 1, j = i_ + 2;
      while (j < s_.size() && depth) {
        if (!mysql_ && s_.substr(j, 2) == "/*") ++depth, j += 2;
        else if (s_.substr(j, 2) == "*/") --depth, j += 2;
        else ++j;
      }
      i_ = j;
    } else if ((rest.starts_with("--") && (!mysql_ || rest.size() == 2 || blank(rest[2]))) || (mysql_ && c == '#')) {
      const std::size_t eol = s_.find('\n', i_);
      i_ = eol == std::string_view::npos ? s_.size() : eol + 1;
    } else if (c == '\'' || (c == '"' && mysql_)) {
      i_ = quoted_end(c, mysql_);
      push(Kind::literal);
    } else if (c == '`' && plain_backquoted()) {
      // performance_schema's digests quote every name: `sleep` is sleep.
    } else if (c == '"' || c == '`') {
      const std::size_t end = quoted_end(c, false);
      push(Kind::ident, std::string(s_.substr(i_, end - i_)));
      i_ = end;
    } else if (rest.starts_with("...")) {
      // A digest's list of values: IN (...).
      i_ += 3;
      push(Kind::list, "?+");
    } else if (mysql_ && c == '@') {
      // @var and @@session.var are names.
      std::size_t j = i_ + 1 + (rest.starts_with("@@") ? 1 : 0);
      while (j < s_.size() && (word_char(s_[j]) || s_[j] == '.')) ++j;
      std::string w;
      for (std::size_t k = i_; k < j; ++k) w += lower(s_[k]);
      i_ = j;
      push(Kind::word, std::move(w));
    } else if (c == '$' && !mysql_ && i_ + 1 < s_.size() && digit(s_[i_ + 1])) {
      ++i_;
      while (i_ < s_.size() && digit(s_[i_])) ++i_;
      push(Kind::literal);
    } else if (c == '$' && !mysql_ && dollar_quote()) {
      push(Kind::literal);
    } else if (c == '?') {
      ++i_;
      push(Kind::literal);
    } else if (digit(c) || (c == '.' && i_ + 1 < s_.size() && digit(s_[i_ + 1]))) {
      i_ = number_end(i_);
      push(Kind::literal);
    } else if ((c == '-' || c == '+') && i_ + 1 < s_.size() && (digit(s_[i_ + 1]) || s_[i_ + 1] == '.') &&
               value_expected()) {
      i_ = number_end(i_ + 1);
      push(Kind::literal);
    } else if (word_start(c)) {
      std::size_t j = i_;
      while (j < s_.size() && word_char(s_[j])) ++j;
      std::string w;
      for (std::size_t k = i_; k < j; ++k) w += lower(s_[k]);
      // E'…', N'…', X'…', B'…', and MySQL's charset introducer _utf8mb4'…'.
      if (j < s_.size() && s_[j] == '\'' && (w == "e" || w == "n" || w == "x" || w == "b" || w[0] == '_')) {
        i_ = j;
        i_ = quoted_end('\'', mysql_ || w == "e");
        push(Kind::literal);
        return;
      }
      i_ = j;
      push(Kind::word, std::move(w));
    } else if (c == '(' || c == '[') {
      ++i_;
      push(Kind::open, std::string(1, c));
    } else if (c == ')' || c == ']') {
      ++i_;
      push(Kind::close, std::string(1, c));
    } else if (c == ',') {
      ++i_;
      push(Kind::comma, ",");
    } else if (c == '.') {
      ++i_;
      push(Kind::dot, ".");
    } else if (c == ';') {
      ++i_;
      push(Kind::semicolon, ";");
    } else {
      operator_token();
    }
  }

  // MySQL's `name` of word characters only at i_: pushed as the word name
  // (its case folded like any other word); false when it needs its quotes.
  bool plain_backquoted() {
    std::size_t j = i_ + 1;
    while (j < s_.size() && word_char(s_[j])) ++j;
    if (j == i_ + 1 || j >= s_.size() || s_[j] != '`') return false;
    std::string w;
    for (std::size_t k = i_ + 1; k < j; ++k) w += lower(s_[k]);
    i_ = j + 1;
    push(Kind::word, std::move(w));
    return true;
  }

  // $tag$…$tag$ (or $$…$$) at i_: consumed whole; false when it is not one.
  bool dollar_quote() {
    std::size_t j = i_ + 1;
    while (j < s_.size() && s_[j] != '$' && (word_start(s_[j]) || digit(s_[j]))) ++j;
    if (j >= s_.size() || s_[j] != '$') return false;
    const std::string_view tag = s_.substr(i_, j - i_ + 1);
    const std::size_t close = s_.find(tag, j + 1);
    i_ = close == std::string_view::npos ? s_.size() : close + tag.size();
    return true;
  }

  void operator_token() {
    static constexpr std::array<std::string_view, 17> multi{"<=>", "->>", "!~*", "<=", ">=", "<>", "!=", "::", "||",
                                                            "&&", ":=",  "->",  "<<", ">>", "~*", "@>", "<@"};
    for (std::string_view m : multi) {
      if (s_.substr(i_, m.size()) == m) {
        i_ += m.size();
        push(Kind::op, std::string(m));
        return;
      }
    }
    push(Kind::op, std::string(1, s_[i_]));
    ++i_;
  }

  std::string_view s_;
  bool mysql_;
  std::size_t i_ = 0;
  std::vector<Token> out_;
};

bool value_token(const Token& t) {
  return t.kind == Kind::literal || t.kind == Kind::list || (t.kind == Kind::word && t.text == "null");
}

// At `open` (a "("): the index of its ")" when only values and commas are
// between them, else 0.
std::size_t value_tuple_end(const std::vector<Token>& t, std::size_t open) {
  std::size_t j = open + 1;
  bool want_value = true;
  for (; j < t.size(); ++j) {
    if (want_value && value_token(t[j])) want_value = false;
    else if (!want_value && t[j].kind == Kind::comma) want_value = true;
    else break;
  }
  return j < t.size() && t[j].kind == Kind::close && t[j].text == ")" && !want_value ? j : 0;
}

// IN (?, ?, ?) and VALUES (?, ?), (?, ?) to one (?+).
std::vector<Token> collapse_lists(std::vector<Token> t) {
  std::vector<Token> out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    out.push_back(t[i]);
    const bool in = t[i].kind == Kind::word && t[i].text == "in";
    const bool values = t[i].kind == Kind::word && (t[i].text == "values" || t[i].text == "value");
    if (!(in || values) || i + 1 >= t.size() || t[i + 1].kind != Kind::open || t[i + 1].text != "(") continue;
    std::size_t end = value_tuple_end(t, i + 1);
    if (!end) continue;
    while (values && end + 2 < t.size() && t[end + 1].kind == Kind::comma && t[end + 2].kind == Kind::open &&
           t[end + 2].text == "(") {
      const std::size_t next = value_tuple_end(t, end + 2);
      if (!next) break;
      end = next;
    }
    out.push_back({Kind::open, "("});
    out.push_back({Kind::list, "?+"});
    out.push_back({Kind::close, ")"});
    i = end;
  }
  return out;
}

bool space_between(const Token& a, const Token& b) {
  if (a.kind == Kind::open || a.kind == Kind::dot || b.kind == Kind::dot) return false;
  if (b.kind == Kind::close || b.kind == Kind::comma || b.kind == Kind::semicolon) return false;
  if ((a.kind == Kind::op && a.text == "::") || (b.kind == Kind::op && b.text == "::")) return false;
  if (b.kind == Kind::open && (a.kind == Kind::ident || (a.kind == Kind::word && !keeps_space_before_paren(a.text))))
    return false;
  return true;
}

}  // namespace

std::string sql_fingerprint(std::string_view sql, SqlDialect dialect) {
  std::vector<Token> tokens = collapse_lists(Lexer(sql.substr(0, std::min(sql.size(), kReadBytes)), dialect).tokens());
  while (!tokens.empty() && tokens.back().kind == Kind::semicolon) tokens.pop_back();
  std::string out;
  for (std::size_t i = 0; i < tokens.size() && out.size() < kFingerprintBytes; ++i) {
    if (i && space_between(tokens[i - 1], tokens[i])) out += ' ';
    out += tokens[i].kind == Kind::literal ? "?" : tokens[i].text;
  }
  if (out.size() >= kFingerprintBytes) {
    // Cut at a character boundary: a UTF-8 continuation byte is 10xxxxxx.
    std::size_t cut = kFingerprintBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

std::string sql_one_line(std::string_view sql, std::size_t max) {
  std::string out;
  for (char c : sql.substr(0, std::min(sql.size(), 4 * max + 64))) {
    const bool space = blank(c);
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return ops::shown(out, max);
}

}  // namespace opsdb
