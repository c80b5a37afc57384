// MySQL helpers that need no server: the DSN parameters we understand, and the
// expansion of ? placeholders into driver-escaped values.
//
// Why expansion rather than server-side prepared statements: mysql_stmt_*
// results need a bound buffer per column and a second fetch for long values,
// which is a lot of code for no safety gain, since the values are escaped by
// mysql_real_escape_string in the connection's character set. The text
// protocol also streams rows with mysql_use_result.

#include "db_drivers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace ops::db {

namespace {
constexpr std::array<std::string_view, 6> known_params{"socket", "ssl-mode", "ssl-ca", "ssl-cert", "ssl-key",
                                                       "charset"};
constexpr std::array<std::string_view, 3> ssl_modes{"DISABLED", "REQUIRED", "VERIFY_IDENTITY"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::optional<std::string> mysql_param_error(const Dsn& dsn) {
  for (std::size_t i = 0; i < dsn.params.size(); ++i) {
    const auto& [key, value] = dsn.params[i];
    if (std::find(known_params.begin(), known_params.end(), key) == known_params.end())
      return fmt::format("unknown parameter '{}' (MySQL knows: {})", key, fmt::join(known_params, ", "));
    for (std::size_t j = 0; j < i; ++j)
      if (dsn.params[j].first == key) return fmt::format("parameter '{}' given twice", key);
    if (value.empty()) return fmt::format("parameter '{}' is empty", key);
    if (key == "ssl-mode" && std::find(ssl_modes.begin(), ssl_modes.end(), upper(value)) == ssl_modes.end())
      return fmt::format("bad ssl-mode '{}' (expected {})", value, fmt::join(ssl_modes, ", "));
    if (key == "charset" && !std::all_of(value.begin(), value.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        }))
      return fmt::format("bad charset '{}'", value);
  }
  return std::nullopt;
}

namespace {

// Calls on_text for runs of SQL and on_placeholder for each ? that is not in a
// quoted string, a quoted identifier or a comment.
template <typename Text, typename Placeholder>
void scan_placeholders(std::string_view sql, Text on_text, Placeholder on_placeholder) {
  std::size_t start = 0, i = 0;
  auto skip_to = [&](std::string_view end) {
    auto pos = sql.find(end, i);
    i = pos == std::string_view::npos ? sql.size() : pos + end.size();
  };
  while (i < sql.size()) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      // A doubled quote closes and reopens, which needs no special case.
      for (++i; i < sql.size() && sql[i] != c; ++i)
        if (sql[i] == '\\' && c != '`') ++i;
      ++i;
    } else if (c == '#' || (c == '-' && next == '-' && (i + 2 >= sql.size() || std::isspace(static_cast<unsigned char>(sql[i + 2]))))) {
      skip_to("\n");
    } else if (c == '/' && next == '*') {
      i += 2;
      skip_to("*/");
    } else if (c == '?') {
      on_text(sql.substr(start, i - start));
      on_placeholder();
      start = ++i;
    } else {
      ++i;
    }
  }
  if (start < sql.size()) on_text(sql.substr(start));
}

}  // namespace

std::string mysql_expand_placeholders(std::string_view sql, std::span<const Param> params,
                                      const std::function<std::string(std::string_view)>& quote_text) {
  std::size_t count = 0;
  scan_placeholders(sql, [](std::string_view) {}, [&count] { ++count; });
  if (count != params.size())
    throw Error(Status::critical,
                fmt::format("internal error: the statement has {} placeholders (?) but {} parameters were given",
                            count, params.size()));
  std::string out;
  out.reserve(sql.size() + 16 * params.size());
  std::size_t k = 0;
  scan_placeholders(
      sql, [&out](std::string_view text) { out.append(text); },
      [&] {
        const Param& p = params[k++];
        switch (p.kind()) {
          case Param::Kind::null: out.append("NULL"); break;
          case Param::Kind::text: out.append(quote_text(p.text())); break;
          case Param::Kind::integer:
          case Param::Kind::real: {
            // "x-?" with -1 must not read as "x--1".
            std::string number = p.as_text();
            out.append(number.starts_with('-') ? "(" + number + ")" : number);
            break;
          }
        }
      });
  return out;
}

}  // namespace ops::db
