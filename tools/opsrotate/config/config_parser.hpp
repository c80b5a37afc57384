#pragma once
// logrotate's configuration language: global directives, `include`, and
// `PATTERN… { … }` blocks whose settings start from the globals in force at
// the `{`. Existing /etc/logrotate.conf and /etc/logrotate.d/* files parse
// unchanged.
//
// Errors — an unknown directive, a bad value, a missing `{`, `}` or
// `endscript`, a lowercase `m` size unit — are collected, each naming file,
// line and value (RotateConfig::errors), and reading goes on, so that one
// bad file in /etc/logrotate.d does not stop the others:
// - an error inside a block skips that block whole (scripts and all), where
//   logrotate may ignore the line and use the rest of the block;
// - an error outside any block (it would change the defaults of the blocks
//   after it), or one that leaves the end of a block unknown (a missing `{`
//   or `}`, a stray `}`, a script without `endscript`), skips the whole file:
//   its blocks, the files it includes, and its global settings;
// - an include that fails skips what it names (and the block it is in).
// The caller reports them and decides (opsrotate --strict refuses it all).
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
//   dateformat specifiers other than %Y %m %d %H %M %S %V %s, a dateformat
//   with a '/' or too long, `errors`, an unknown directive.

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
// A path that cannot be read is bad usage (ops::Error, exit 3); errors in
// what is read are in the result.
RotateConfig parse_config_files(const std::vector<std::string>& paths, const ParseOptions& options = {});

// Parses text as if read from a file named `file_name` (used in messages).
// Never throws ops::Error: errors are in the result.
RotateConfig parse_config_text(std::string_view text, const std::string& file_name,
                               const ParseOptions& options = {});

// The line saying a block is skipped for its `errors` (listed before it):
// "FILE:LINE: skipping the block of 'PATTERNS' for its error: …".
ConfigError skipping_block(const LogConfig& block, std::size_t errors);

}  // namespace opsrotate
