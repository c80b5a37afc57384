#pragma once
// A cursor over the text of one configuration file that knows its line
// number. logrotate's syntax is mostly a stream of tokens (`compress daily`
// on one line, `{` on the next line, `}` after a flag), but a directive with
// a value takes the rest of its line, and a script takes whole lines: this
// gives the parser both views.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opsrotate {

struct PatternText {
  std::string text;    // the patterns as written, lines joined by '\n', comment lines left out
  bool brace = false;  // false: the `{` never came
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  bool at_line_end() const { return at_end() || text_[pos_] == '\n'; }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  int line() const { return line_; }

  // Moves n bytes forward on the current line.
  void advance(std::size_t n = 1);
  // Skips spaces and tabs on the current line.
  void skip_blanks();
  // Skips blanks and line ends.
  void skip_space();
  // The rest of the current line, without its '\n'; the cursor stays at the line end.
  std::string_view rest_of_line() const;
  std::string_view take_rest_of_line();
  // Moves to the start of the next line (or the end of the text).
  void next_line();
  // Reads the letters a directive name is made of.
  std::string_view take_letters();

  // A script, the cursor being just after its keyword: the rest of that line
  // (when not blank), then whole lines up to one whose first word is
  // `endscript`, joined by '\n'. The cursor stops after that `endscript`: as
  // in logrotate, what follows it on its line is read as directives
  // (`endscript }`). "echo endscript" or "endscripts" are script text.
  // nullopt when the text ends first.
  std::optional<std::string> take_script();

  // The log file patterns of a block, up to and past its `{`. The `{` may come
  // on a later line, after more patterns or comment lines, as logrotate
  // allows; a later line that starts like neither means the `{` is missing.
  PatternText take_patterns();

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace opsrotate
