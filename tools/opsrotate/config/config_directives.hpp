#pragma once
// The directives that say something about a group of logs, as a table: each
// one's name, how it takes its value, and what it sets in a LogConfig. The
// reader (config_parser.cpp) cuts the line; these check the value and apply
// it, to the global settings or to the block being read. The directives that
// steer the reader itself (include, tabooext, taboopat, the scripts) are not
// here.

#include "opsrotate/config/config_where.hpp"
#include "opsrotate/config/log_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace opsrotate {

// How a directive takes its value, which decides how the reader cuts the line.
enum class Takes {
  nothing,  // a flag: more directives may follow on the same line (`compress daily`)
  line,     // the rest of the line, required; `=` may come first (`rotate = 4`, `dateformat -%Y %m`)
  word,     // like line, but one word (`olddir`, `mail`, `compresscmd`)
  words,    // the rest of the line as words, maybe none; no `=` (`create 0640 root adm`, `weekly 1`)
  options,  // the rest of the line, required, no `=`: logrotate would hand an `=` to the
            // compressor (`compressoptions`)
};

struct DirectiveValue {
  const Where& where;
  std::string_view name;
  std::string_view text;           // the value, blanks trimmed
  std::vector<std::string> words;  // for Takes::words
  bool check_accounts = true;      // users and groups must exist on this host
};

struct Directive {
  std::string_view name;
  Takes takes;
  void (*apply)(LogConfig& config, const DirectiveValue& value);
};

// nullptr when `name` is not one of the table's directives.
const Directive* find_directive(std::string_view name);

// The Scripts member a script directive (`postrotate`…) fills, or nullptr.
std::string Scripts::*find_script(std::string_view name);

// Every directive name the reader knows, for "did you mean …?".
std::vector<std::string> known_directive_names();

}  // namespace opsrotate
