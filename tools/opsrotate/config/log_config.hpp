#pragma once
// What a logrotate configuration says about a group of logs: the settings of
// one `PATTERN… { … }` block after the global defaults were applied. The
// parser (config_parser.hpp) produces these; the scheduler and the rotation
// follow them. Defaults are logrotate's, so a file that relies on them means
// the same thing here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace opsrotate {

// `size N` is a criterion like `daily`: the last of them in a block wins.
enum class Frequency { hourly, daily, weekly, monthly, yearly, size };

// The directive that sets it, as the plan and the notes name it.
constexpr std::string_view frequency_name(Frequency f) {
  switch (f) {
    case Frequency::hourly: return "hourly";
    case Frequency::daily: return "daily";
    case Frequency::weekly: return "weekly";
    case Frequency::monthly: return "monthly";
    case Frequency::yearly: return "yearly";
    case Frequency::size: return "size";
  }
  return "?";
}

// `create MODE OWNER GROUP` and `createolddir MODE OWNER GROUP`: each part
// optional; unset parts keep the rotated file's (create) or the default's.
struct CreateSpec {
  std::optional<mode_t> mode;
  std::optional<std::string> owner;
  std::optional<std::string> group;
};

struct Scripts {
  std::string firstaction, prerotate, postrotate, lastaction, preremove;
};

struct LogConfig {
  // Where the settings came from, for messages: "/etc/logrotate.d/nginx:3".
  std::string file;
  int line = 0;
  // The patterns as written (quotes and backslashes removed the way a shell
  // would: what logrotate hands glob(3), e.g. "/var/log/nginx/*.log" or
  // "~/logs/*.log", still to be globbed with ~ expansion); also what a shared
  // script gets as $1 (joined by spaces).
  std::vector<std::string> patterns;

  // When: `hourly … yearly`, or `size` (logrotate's default: size 1M).
  Frequency frequency = Frequency::size;
  int weekday = 0;                           // `weekly N`: 0 = Sunday … 6, 7 = every 7 days
  std::uint64_t size = 1024 * 1024;          // with Frequency::size: rotate when size >= this
  std::optional<std::uint64_t> minsize;      // with a frequency: not before this size
  std::optional<std::uint64_t> maxsize;      // with a frequency: also when larger than this
  std::optional<int> minage;                 // days: not if modified more recently
  std::optional<int> maxage;                 // days: remove rotations older than this

  // What is kept.
  int rotate = 0;  // number of old logs kept; -1 = keep all
  int start = 1;   // number of the first rotation (`start N`)

  // Names.
  bool dateext = false;
  std::string dateformat;  // empty = "-%Y%m%d" ("-%Y%m%d%H" when hourly)
  bool dateyesterday = false;
  bool datehourago = false;
  std::string extension;     // `extension .log`: keep it last (app.1.log)
  std::string addextension;  // `addextension .log`: add it when missing
  std::string olddir;        // relative to the log's directory when not absolute
  std::optional<CreateSpec> createolddir;

  // Compression.
  bool compress = false;
  bool delaycompress = false;
  std::string compresscmd;     // empty = in-process gzip (logrotate's /bin/gzip)
  std::string uncompresscmd;   // empty = gunzip
  std::string compressext;     // empty = ".gz"; a known compresscmd sets it (compresscmd_ext)
  // Empty = no options. logrotate 3.21 as Debian builds it runs plain
  // `/bin/gzip` (strace shows no "-6", whatever its man page says; 6 is gzip's
  // default level anyway), and a `compresscmd` without `compressoptions` gets none.
  std::string compressoptions;
  // `compressoptions` was given (here or in the globals). `compresscmd` does not
  // reset it: logrotate keeps the options given before or after a compresscmd.
  bool compressoptions_set = false;

  // How.
  std::optional<CreateSpec> create;  // nullopt = nocreate (logrotate's default)
  bool copy = false;
  bool copytruncate = false;  // `copytruncate` turns renamecopy off, and `renamecopy` this
  bool renamecopy = false;
  bool shred = false;
  int shredcycles = 3;
  std::optional<std::pair<std::string, std::string>> su;  // user, group (logrotate requires both)
  bool missingok = false;
  bool ifempty = true;   // `notifempty` sets false
  bool allowhardlink = false;
  bool ignoreduplicates = false;

  // Scripts (run by /bin/sh -c): the lines between the keyword and `endscript`
  // joined by "\n" (no final newline), indentation kept; text on the keyword's
  // own line (`postrotate kill -HUP 1`) is the first line. Empty = none.
  Scripts scripts;
  bool sharedscripts = false;

  // Mail.
  std::string mail;        // address (one word); empty = nomail
  bool mailfirst = false;  // mail the just-rotated log instead of the one removed
};

// An error in the configuration: "FILE:LINE: what is wrong with 'VALUE'",
// and a line telling the obvious fix, if any.
struct ConfigError {
  std::string message;
  std::string hint;
  // Not an error of its own: what the errors before it make the run skip
  // ("FILE:LINE: skipping the block of '/var/log/app.log'"). --strict, which
  // skips nothing but refuses everything, leaves these out.
  bool skipping = false;
};

// The configuration files, in the order read: the blocks they define. The
// global settings in force at a block's `{` are its defaults.
struct RotateConfig {
  // The blocks read without error, in order.
  std::vector<LogConfig> logs;
  // Every error found, in order, each block or file it breaks followed by a
  // `skipping` entry. A broken block is left out of `logs` whole, scripts
  // and all; so is every block of a file whose blocks cannot be told apart
  // or that has an error outside any block (which would change the defaults
  // of the blocks after it).
  std::vector<ConfigError> errors;
};

}  // namespace opsrotate
