#pragma once
// Reading configuration files the way logrotate does, for `include` and for
// the files named on the command line: a directory means its regular files in
// sorted order, minus those whose names match a taboo extension or pattern;
// a file writable by group or others, or owned by someone other than root or
// the user running us, is refused. The parser skips a refused included file
// with an error and reads the others, as logrotate does.

#include "opsrotate/config/config_where.hpp"

#include <string>
#include <sys/types.h>
#include <vector>

namespace opsrotate {

// `tabooext` and `taboopat`, as logrotate 3.21 starts them.
struct Taboo {
  // Matched as the glob "*" + ext against a file name.
  std::vector<std::string> extensions{",v",        ".cfsaved",  ".disabled", ".dpkg-bak", ".dpkg-del",
                                      ".dpkg-dist", ".dpkg-new", ".dpkg-old", ".rhn-cfg-tmp-*", ".rpmnew",
                                      ".rpmorig",  ".rpmsave",  ".swp",      ".ucf-dist", ".ucf-new",
                                      ".ucf-old",  "~"};
  // Globs matched against a file name.
  std::vector<std::string> patterns;

  bool matches(const std::string& file_name) const;
};

struct ConfigFile {
  std::string path;
  std::string text;
  dev_t dev = 0;  // with ino: the same file under another name, for include loops
  ino_t ino = 0;
};

// "~/x" is "$HOME/x" (logrotate: "relative to the home directory of the executing user").
std::string expand_home(const std::string& path);

// Each function below fails with "FILE:LINE: cannot include 'PATH': why" when
// `include_at` names the include directive, else (a file given to
// parse_config_files) with "cannot read configuration 'PATH': why".

// Whether path is a directory (following symlinks).
bool is_config_dir(const std::string& path, const Where* include_at);

// The files of a config directory to read, in order: regular files (after
// symlinks), sorted by name, without taboo names. A name stat() fails on (a
// dangling symlink) is listed too, so that reading it names the error.
std::vector<std::string> config_dir_files(const std::string& dir, const Taboo& taboo, const Where* include_at);

// A configuration file's text, after the ownership and mode checks.
ConfigFile read_config_file(const std::string& path, const Where* include_at);

}  // namespace opsrotate
