#pragma once
// The message of a log line with what changes from one occurrence to the
// next masked, so that the same error, met a thousand times with a thousand
// request ids, is one group: "connect() failed (111: Connection refused)
// while connecting to upstream, client: 203.0.113.9" and the same line from
// another client are both "connect() failed (<n>: Connection refused) while
// connecting to upstream, client: <ip>".
//
// The line's own timestamp and the writer's process id are not part of the
// message and are taken out first (syslog's host and prog[PID], nginx's
// PID#TID: *CONN, Apache's [pid N:tid M], gunicorn's [PID], PHP-FPM's
// "child N said into stderr: "…"" wrapper). Then, left to right:
//
//   <uuid>   550e8400-e29b-41d4-a716-446655440000
//   <ip>     IPv4 (with :port) and IPv6 addresses
//   <time>   09:12:01(.123), and dates 2026-12-06, 2026/12/06, 06-Dec-2026 as <date>
//   <email>  user@example.org
//   <url>    scheme://…
//   <path>   /var/www/app/x.php (a file's :line keeps its place as :<n>), ~/x, ./x
//   <hex>    0x7f3a…, and words of 7 (a short git hash) or more hex digits with a digit and a letter
//   <id>     words of 8 or more letters and digits with at least two digits
//   <n>      numbers (12, 3.14, 1.2.3; the digits that start 10MB)
//   '<q>'    quoted values: a quoted text without blanks ('evil.com', "admin");
//            a quoted text with blanks is a message of its own (PHP-FPM's
//            stderr, nginx's "GET /x HTTP/1.1") and is masked inside instead
//
// Runs of blanks become one blank. Only the first kMaskedBytes of a message
// are kept: a 1 MB line does not make a 1 MB group key.

#include <cstddef>
#include <string>
#include <string_view>

namespace opsaudit {

inline constexpr std::size_t kMaskedBytes = 1024;

// `line` without its leading timestamp and process id (as above), blanks at
// either end trimmed; a view into `line` unless a wrapper was taken off.
std::string message_text(std::string_view line);

// The values of `text` masked (as above).
std::string mask_values(std::string_view text);

// mask_values(message_text(line)): the group key of a line.
std::string masked_message(std::string_view line);

}  // namespace opsaudit
