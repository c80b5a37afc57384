// Reading the man pages in tests that hold them against the code
// (test_health_doc, test_audit_doc): a .SS block and an option as roff writes it.
#pragma once

#include <algorithm>
#include <string>

namespace ops::test {

// The text from `.SS <name>` (the name alone or followed by its arguments)
// up to the next .SS or .SH; empty when the page has no such block.
inline std::string man_subsection(const std::string& text, const std::string& name) {
  std::size_t at = 0;
  while ((at = text.find("\n.SS " + name, at)) != std::string::npos) {
    const char next = text[at + 5 + name.size()];
    if (next == '\n' || next == ' ') break;
    ++at;
  }
  if (at == std::string::npos) return {};
  const std::size_t begin = at + 1;
  std::size_t end = text.size();
  for (const char* next : {"\n.SS ", "\n.SH "}) end = std::min(end, text.find(next, begin));
  return text.substr(begin, end - begin);
}

// "--warn-time" as roff writes it: \-\-warn\-time.
inline std::string roff_option(const std::string& long_name) {
  std::string out = "\\-\\-";
  for (char c : long_name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

}  // namespace ops::test
