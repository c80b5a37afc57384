#pragma once
// Where in a logrotate configuration a problem is, and the one way the parser
// words it: an ops::Error (usage, exit 3) with "FILE:LINE: what is wrong with
// 'VALUE'". Values are shown on one line, control bytes escaped, so a message
// stays one line whatever bytes the file holds. The parser catches these to
// skip the block (or file) they break and read on.

#include <ops/error.hpp>

#include <string>
#include <string_view>

namespace opsrotate {

struct Where {
  std::string file;
  int line = 0;
  // The hint for every error in this file, when the whole file is suspect
  // ("it has CRLF line endings"); it replaces the error's own hint.
  std::string file_hint;

  // The ops::Error (unknown, exit 3) "FILE:LINE: what", with a hint line.
  ops::Error error(const std::string& what, const std::string& hint = {}) const;
  // Throws that error.
  [[noreturn]] void fail(const std::string& what, const std::string& hint = {}) const;
};

// `text` in single quotes for a message: control bytes escaped (\n, \t, \xNN),
// values longer than max_shown cut with "..." (a path is shown whole: pass
// std::string_view::npos).
std::string shown(std::string_view text, std::size_t max_shown = 80);

}  // namespace opsrotate
