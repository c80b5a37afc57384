#pragma once
// The values of logrotate directives, read the way logrotate 3.21 reads them
// (numbers as strtoul(3) with base 0, so "010" is 8 and "0x10" is 16; sizes
// with k/K, M or G), but refusing what logrotate silently wraps or truncates.
// Each function checks the whole text and fails through `where` naming the
// directive and the value.

#include "opsrotate/config/config_where.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace opsrotate {

// A whole number from `min` to `max` (`rotate`, `start`, `minage`...).
long long parse_count(const Where& where, std::string_view directive, std::string_view text,
                      long long min, long long max);

// A size in bytes: digits (strtoul base 0) and an optional unit k or K (KiB),
// M (MiB), G (GiB). Lowercase m and g are errors, as in logrotate.
std::uint64_t parse_size(const Where& where, std::string_view directive, std::string_view text);

// An octal file mode, at most 07777 (`create 0640`, `create 640`).
mode_t parse_mode(const Where& where, std::string_view directive, std::string_view text);

// `weekly N`: 0 (Sunday) to 6, or 7 (every seven days), in decimal.
int parse_weekday(const Where& where, std::string_view text);

// `dateformat`: only %Y %m %d %H %M %S %V %s, which logrotate documents (it
// copies any other % sequence literally into the file name, which is never
// meant); no '/' (the date would make a path, not a name); and no longer than
// logrotate's buffers hold ("Date format … is too long", which it finds only
// when rotating): 63 bytes of date, and a glob pattern of the format under
// 127 characters.
void check_dateformat(const Where& where, std::string_view text);

// The extension a `compresscmd` implies, by the program's file name: logrotate's
// list (gzip .gz, bzip2 .bz2, xz .xz, zstd .zst, compress .Z, zip) and the
// parallel variants of those (pigz, pbzip2, pixz, pzstd…); nullopt for any
// other program, whose files keep the extension in force.
std::optional<std::string> compresscmd_ext(std::string_view compresscmd);

// The log file patterns before `{`, split into words as logrotate does
// (popt's rules): blanks separate words; "…" and '…' group, where a backslash
// only escapes the quote itself; outside quotes a backslash escapes any byte.
std::vector<std::string> split_patterns(const Where& where, std::string_view text);

// Words separated by blanks (`create 0640 root adm`, `su www-data adm`).
std::vector<std::string> split_blanks(std::string_view text);

// `tabooext`/`taboopat` lists: items separated by blanks and/or commas.
std::vector<std::string> split_list(std::string_view text);

bool is_blank(char c);
// logrotate's blanks, for ops::trim; with line ends, for text over several lines.
inline constexpr std::string_view blanks = " \t";
inline constexpr std::string_view blanks_and_newlines = " \t\n";

}  // namespace opsrotate
