#pragma once
// Regular expressions for patterns that operators write (opshealth's
// `log --pattern`, opsaudit's rules): PCRE2, the syntax grep -P and most
// log tools speak, compiled once, matched from any number of threads.
// std::regex is not used: it is slow and its syntax is not the one people
// copy from their grep lines.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ops {

class Pattern {
 public:
  // Compiles `pattern` (UTF-8 is not assumed: log lines are bytes). A bad
  // pattern is a usage error (exit 3) in one line naming the pattern and
  // the offset: "bad pattern '(ERROR': missing closing parenthesis at offset 6".
  explicit Pattern(std::string_view pattern, bool caseless = false);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  // Whether the pattern matches anywhere in `text`.
  bool matches(std::string_view text) const;
  // The whole match and each group (an unset group is nullopt), or nullopt
  // when it does not match. The views point into `text`.
  std::optional<std::vector<std::optional<std::string_view>>> search(std::string_view text) const;

  const std::string& text() const noexcept { return text_; }

 private:
  struct Code;
  std::string text_;
  std::unique_ptr<Code> code_;
};

}  // namespace ops
