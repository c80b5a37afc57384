#pragma once
// A path is whatever bytes its creator chose: a newline, an escape sequence,
// a quote, bytes that are not UTF-8. Two places must carry it exactly:
// the fix command a finding prints (pasted into a shell, it must name that
// path and nothing else) and a baseline line (read back, it must give the
// same bytes).

#include <optional>
#include <string>
#include <string_view>

namespace opsaudit::files {

// One shell word for `text`: as it is when only safe characters
// (letters, digits, / . _ - + , : @ % =), else in single quotes, else, when
// it holds control bytes or bytes that are not UTF-8, as $'…' with \xHH
// escapes (bash, zsh, ksh, dash 0.5.12+), so the command stays on one
// printable line and still names the exact bytes.
std::string shell_word(std::string_view text);

// "chmod 0600 /var/www/app/.env": `command` then the path as a shell word,
// after "--" when it starts with '-'.
std::string fix_command(std::string_view command, std::string_view path);

// Baseline escaping: '\' as "\\", tab "\t", newline "\n", return "\r", other
// control bytes and bytes that are not UTF-8 as "\xHH"; valid UTF-8 kept, so
// a baseline stays readable and editable.
std::string escaped(std::string_view text);
// The bytes escaped() was given; nullopt for a bad escape.
std::optional<std::string> unescaped(std::string_view text);

// The length of the valid UTF-8 character at text[i] (1-4), 0 when the bytes
// there are not one (control bytes count as valid characters here).
std::size_t utf8_length(std::string_view text, std::size_t i) noexcept;

}  // namespace opsaudit::files
