// DSN parsing. One URI splitter for the three schemes, then per-engine checks.
// PostgreSQL DSNs are finally read by libpq's own parser (PQconninfoParse), so
// what we accept is exactly what connect() will hand to libpq.

#include "db_drivers.hpp"
#include <ops/text.hpp>

#include <ops/db.hpp>
#include <ops/handle.hpp>

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <vector>

namespace ops::db {

namespace {

constexpr std::string_view expected_schemes =
    "expected postgresql://, mysql://, mariadb:// or sqlite:///";

// The DSN with any password replaced by ***, so a refused DSN can be named.
std::string redacted(std::string_view text) {
  std::string out(text);
  auto authority_start = out.find("://");
  if (authority_start != std::string::npos) {
    authority_start += 3;
    auto authority_end = out.find_first_of("/?", authority_start);
    if (authority_end == std::string::npos) authority_end = out.size();
    auto at = out.rfind('@', authority_end - 1);
    if (at != std::string::npos && at >= authority_start) {
      auto colon = out.find(':', authority_start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password= and sslpassword= among the query parameters.
  for (std::string_view key : {"password=", "sslpassword="}) {
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + 1)) {
      if (pos == 0 || (out[pos - 1] != '?' && out[pos - 1] != '&')) continue;
      auto value = pos + key.size();
      auto end = out.find('&', value);
      out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
    }
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), shown_(redacted(text)) {}

  [[noreturn]] void bad(std::string_view why, std::string hint = {}) const {
    fail_usage(fmt::format("invalid DSN '{}': {}", shown(shown_), why), std::move(hint));
  }

  std::string decode(std::string_view s, std::string_view what) const {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '%') {
        out.push_back(s[i]);
        continue;
      }
      unsigned value = 0;
      auto hex = s.substr(i + 1, 2);
      auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
      if (hex.size() != 2 || ec != std::errc() || ptr != hex.data() + 2)
        bad(fmt::format("bad percent-encoding in the {}", what));
      if (value == 0) bad(fmt::format("the {} contains a NUL byte (%00)", what));
      out.push_back(static_cast<char>(value));
      i += 2;
    }
    return out;
  }

  int parse_port(std::string_view s) const {
    int port = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || port < 1 || port > 65535)
      bad(fmt::format("bad port '{}' (expected 1-65535)", shown(s)));
    return port;
  }

  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::string shown_;
};

struct UriParts {
  std::string_view scheme, userinfo, hostport, path, query;
  bool has_userinfo = false;
};

UriParts split_uri(const Parser& p) {
  std::string_view text = p.text();
  UriParts u;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    auto colon = text.find(':');
    if (colon != std::string_view::npos && colon > 0 && text.find('/') > colon)
      p.bad(fmt::format("'{}:' must be followed by // ({})", text.substr(0, colon), expected_schemes));
    p.bad(fmt::format("not a URI ({})", expected_schemes));
  }
  u.scheme = text.substr(0, sep);
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) p.bad("unexpected '#' (write it as %23)");
  auto q = rest.find('?');
  if (q != std::string_view::npos) {
    u.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  u.path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    u.has_userinfo = true;
    u.userinfo = authority.substr(0, at);
    u.hostport = authority.substr(at + 1);
  } else {
    u.hostport = authority;
  }
  return u;
}

void refuse_password(const Parser& p) {
  p.bad("a password may not be written in a DSN",
        "put it in a file only you can read and name it with password_file "
        "(or use ~/.pgpass, ~/.my.cnf): passwords in a DSN end up in ps and shell history");
}

std::vector<std::pair<std::string, std::string>> parse_query(const Parser& p, std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      p.bad(fmt::format("parameter '{}' is not key=value", shown(item.substr(0, eq))));
    std::string key = p.decode(item.substr(0, eq), "parameter name");
    if (key == "password" || key == "sslpassword") refuse_password(p);
    std::string value = p.decode(item.substr(eq + 1), "value of parameter " + key);
    params.emplace_back(std::move(key), std::move(value));
  }
  return params;
}

void split_host_port(const Parser& p, std::string_view hostport, Dsn& dsn) {
  std::string_view host = hostport, port;
  if (hostport.starts_with('[')) {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) p.bad("unterminated '[' in the host");
    host = hostport.substr(1, close - 1);
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') p.bad("unexpected text after ']' in the host");
      port = after.substr(1);
      if (port.empty()) p.bad("empty port after ':'");
    }
  } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
    if (port.empty()) p.bad("empty port after ':'");
  }
  dsn.host = p.decode(host, "host");
  if (!port.empty()) dsn.port = p.parse_port(port);
}

// The database name from "/db" (MySQL, PostgreSQL): one path segment at most.
std::string database_from_path(const Parser& p, std::string_view path) {
  if (path.empty() || path == "/") return {};
  path.remove_prefix(1);
  if (path.find('/') != std::string_view::npos) p.bad("the database name contains '/' (write it as %2F)");
  return p.decode(path, "database name");
}

// The values libpq accepts for its options with a fixed set of values
// (PostgreSQL 15's libpq). PQconninfoParse takes any text and connect() then
// fails, which would make a typo in a DSN look like an unreachable server.
struct KnownValues {
  std::string_view key;
  std::vector<std::string_view> values;
};
const KnownValues kPostgresValues[] = {
    {"sslmode", {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}},
    {"gssencmode", {"disable", "prefer", "require"}},
    {"channel_binding", {"disable", "prefer", "require"}},
    {"target_session_attrs", {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"}},
};

// libpq's options whose value is a whole number of at least 0.
constexpr std::string_view kPostgresNumbers[] = {"connect_timeout", "keepalives", "keepalives_idle",
                                                 "keepalives_interval", "keepalives_count", "tcp_user_timeout"};

void check_postgres_value(const Parser& p, std::string_view key, std::string_view value) {
  for (const auto& known : kPostgresValues) {
    if (key != known.key) continue;
    if (std::find(known.values.begin(), known.values.end(), value) != known.values.end()) return;
    std::string list;
    for (auto v : known.values) list += (list.empty() ? "" : ", ") + std::string(v);
    p.bad(fmt::format("invalid {} '{}' (expected {})", key, shown(value), list));
  }
  if (std::find(std::begin(kPostgresNumbers), std::end(kPostgresNumbers), key) != std::end(kPostgresNumbers)) {
    long long n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || n < 0)
      p.bad(fmt::format("invalid {} '{}' (expected a whole number of 0 or more)", key, shown(value)));
  }
}

// PostgreSQL: libpq decides what the URI means (hosts lists, ?host=/dir, its
// many parameters); we read its verdict back for display.
void parse_postgresql(const Parser& p, const UriParts& u, Dsn& dsn) {
  if (u.hostport.find(',') == std::string_view::npos) split_host_port(p, u.hostport, dsn);

  char* raw_error = nullptr;
  Handle<PQconninfoOption, PQconninfoFree> options(PQconninfoParse(dsn.uri.c_str(), &raw_error));
  Handle<char, PQfreemem> error(raw_error);
  if (!options) {
    std::string why = error ? error.get() : "libpq could not parse it";
    why = why.substr(0, why.find('\n'));
    p.bad(why);
  }
  for (PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (!o->val) continue;
    std::string_view key = o->keyword, val = o->val;
    if (key == "password" || key == "sslpassword") refuse_password(p);
    check_postgres_value(p, key, val);
    if (key == "user") dsn.user = val;
    if (key == "dbname") dsn.database = val;
    if (key == "host" || (key == "hostaddr" && dsn.host.empty())) dsn.host = val;
    if (key == "port") {
      int port = 0;
      auto [ptr, ec] = std::from_chars(val.data(), val.data() + val.size(), port);
      dsn.port = (ec == std::errc() && ptr == val.data() + val.size()) ? port : 0;
    }
  }
}

}  // namespace

std::string_view engine_name(Engine engine) noexcept {
  switch (engine) {
    case Engine::postgresql: return "postgresql";
    case Engine::mysql: return "mysql";
    case Engine::sqlite: return "sqlite";
  }
  return "unknown";
}

Dsn parse_dsn(std::string_view text) {
  Parser p(text);
  if (text.empty()) p.bad(fmt::format("empty ({})", expected_schemes));
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    p.bad("contains a control character or whitespace");
  if (text.find(' ') != std::string_view::npos) p.bad("contains a space (write it as %20)");

  UriParts u = split_uri(p);
  Dsn dsn;
  dsn.scheme = std::string(u.scheme);
  dsn.uri = std::string(text);
  if (u.scheme == "postgresql" || u.scheme == "postgres") {
    dsn.engine = Engine::postgresql;
  } else if (u.scheme == "mysql" || u.scheme == "mariadb") {
    dsn.engine = Engine::mysql;
  } else if (u.scheme == "sqlite") {
    dsn.engine = Engine::sqlite;
  } else {
    p.bad(fmt::format("unknown scheme '{}' ({})", shown(u.scheme), expected_schemes));
  }

  if (u.userinfo.find(':') != std::string_view::npos) refuse_password(p);
  dsn.params = parse_query(p, u.query);

  if (dsn.engine == Engine::sqlite) {
    if (u.has_userinfo || !u.hostport.empty())
      p.bad("a SQLite DSN takes no host or user, only an absolute path: sqlite:///absolute/path.db");
    dsn.path = p.decode(u.path, "path");
    if (dsn.path.empty() || dsn.path == "/" || dsn.path.ends_with('/'))
      p.bad("no database file after sqlite:///");
    for (const auto& [key, value] : dsn.params) {
      if (key != "mode") p.bad(fmt::format("unknown parameter '{}' (SQLite knows: mode)", shown(key)));
      if (value != "ro" && value != "rw" && value != "rwc")
        p.bad(fmt::format("bad mode '{}' (expected ro, rw or rwc)", shown(value)));
    }
    return dsn;
  }

  dsn.user = p.decode(u.userinfo, "user name");
  if (u.has_userinfo && dsn.user.empty()) p.bad("empty user name before '@'");
  dsn.database = database_from_path(p, u.path);
  if (dsn.engine == Engine::postgresql) {
    parse_postgresql(p, u, dsn);
    return dsn;
  }

  if (u.hostport.find(',') != std::string_view::npos) p.bad("MySQL takes one host, not a list");
  split_host_port(p, u.hostport, dsn);
  if (auto why = mysql_param_error(dsn)) p.bad(*why);
  if (auto socket = dsn.param("socket")) {
    if (!socket->starts_with('/')) p.bad(fmt::format("socket '{}' is not an absolute path", shown(*socket)));
    dsn.socket = *socket;
  }
  return dsn;
}

std::string Dsn::display() const {
  // Only the characters that would make the display ambiguous are escaped.
  auto escape = [](std::string_view s, std::string_view special) {
    std::string out;
    for (char c : s) {
      if (special.find(c) != std::string_view::npos || c == '%')
        out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
      else
        out.push_back(c);
    }
    return out;
  };
  if (engine == Engine::sqlite) return "sqlite://" + escape(path, "?#");
  std::string out = (scheme.empty() ? std::string(engine_name(engine)) : scheme) + "://";
  if (!user.empty()) out += escape(user, "@:/?#") + "@";
  if (host.find(':') != std::string::npos && host.find(',') == std::string::npos)
    out += "[" + host + "]";
  else
    out += escape(host, "@/?#");
  if (port != 0) out += ":" + std::to_string(port);
  if (!database.empty()) out += "/" + escape(database, "/?#");
  return out;
}

std::optional<std::string> Dsn::param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return std::nullopt;
}

}  // namespace ops::db
