#pragma once
// logrotate's configuration language: global directives, `include`, and
// `PATTERN… { … }` blocks whose settings start from the globals in force at
// the `{`. Existing /etc/logrotate.conf and /etc/logrotate.d/* files parse
// unchanged. Unlike logrotate, which prints an error and carries on with the
// rest, any error here — unknown directive, bad value, missing `}` or
// `endscript`, a lowercase `m` size unit — refuses the whole configuration
// (ops::Error, exit 3) with one line naming file, line and value, so nothing
// is rotated by a half-understood configuration.

#include "log_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace opsrotate {

struct ParseOptions {
  // Follow `include` directives (files, and directories whose files are read
  // in sorted order, skipping names matching tabooext/taboopat). The fuzzer
  // turns this off so it never reads the host's files.
  bool allow_include = true;
};

// Reads each file (or directory, as `include` would) in order, as logrotate
// does with several config arguments: settings carry over from one to the next.
RotateConfig parse_config_files(const std::vector<std::string>& paths, const ParseOptions& options = {});

// Parses text as if read from a file named `file_name` (used in messages).
RotateConfig parse_config_text(std::string_view text, const std::string& file_name,
                               const ParseOptions& options = {});

}  // namespace opsrotate
