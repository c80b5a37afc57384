#pragma once
// logrotate's configuration language: global directives, `include`, and
// `PATTERN… { … }` blocks whose settings start from the globals in force at
// the `{`. Existing /etc/logrotate.conf and /etc/logrotate.d/* files parse
// unchanged. Unlike logrotate, which prints an error and carries on with the
// rest, any error here — unknown directive, bad value, missing `}` or
// `endscript`, a lowercase `m` size unit — refuses the whole configuration
// (ops::Error, exit 3) with one line naming file, line and value, so nothing
// is rotated by a half-understood configuration.
//
// The syntax, as logrotate 3.21 reads it (checked with `logrotate -d`):
// - `#` starts a comment where a directive could start (`daily # x` is fine,
//   `rotate 4 # x` is not: a value is the rest of its line).
// - Flags may share a line (`compress daily`), and may be followed by `}`.
//   A directive with a value takes the rest of the line, after blanks and an
//   optional `=` (`rotate = 4`); create, createolddir, su, weekly and
//   compressoptions (logrotate would pass the `=` to the compressor) take none.
// - A block is `PATTERN… {`; the `{` may come on a later line, and directives
//   may follow it on its line. `}` must be the last thing on its line.
//   Patterns are split like a shell would (quotes, backslash), not globbed.
// - Scripts run from the keyword to a line whose first word is `endscript`;
//   text on the keyword's line is the script's first line, and directives may
//   follow `endscript` on its line. Scripts may be global (blocks inherit them).
// - `include` may appear inside a block (the included file's directives then
//   apply to that block, and it may not start a block); tabooext/taboopat may not.
// - Errors we add where logrotate carries on: a missing `}` at the end of a
//   file, an unterminated quote, an include loop, numbers that do not fit,
//   dateformat specifiers other than %Y %m %d %H %M %S %V %s, `errors`.

#include "opsrotate/config/log_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace opsrotate {

struct ParseOptions {
  // Follow `include` directives (files, and directories whose files are read
  // in sorted order, skipping names matching tabooext/taboopat). The fuzzer
  // turns this off so it never reads the host's files; an `include` is then
  // an error.
  bool allow_include = true;
  // Refuse users and groups (create, createolddir, su) this host does not
  // know, as logrotate does while reading. Off: any name is taken as written.
  bool check_accounts = true;
};

// Reads each file (or directory, as `include` would) in order, as logrotate
// does with several config arguments: settings carry over from one to the next.
RotateConfig parse_config_files(const std::vector<std::string>& paths, const ParseOptions& options = {});

// Parses text as if read from a file named `file_name` (used in messages).
RotateConfig parse_config_text(std::string_view text, const std::string& file_name,
                               const ParseOptions& options = {});

}  // namespace opsrotate
