// Identifier quoting and placeholders: pure functions of the engine, so that
// code can build SQL (and tests can check it) without a connection.

#include <ops/db.hpp>

#include <fmt/format.h>

namespace ops::db {

std::string quote_identifier(Engine engine, std::string_view name) {
  if (name.empty()) fail_usage("empty SQL identifier");
  if (name.find('\0') != std::string_view::npos)
    fail_usage("SQL identifier contains a NUL byte");
  // MySQL quotes with backticks; PostgreSQL and SQLite follow the standard.
  const char q = engine == Engine::mysql ? '`' : '"';
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back(q);
  for (char c : name) {
    if (c == q) out.push_back(q);
    out.push_back(c);
  }
  out.push_back(q);
  return out;
}

std::string quote_identifier(Engine engine, std::string_view schema, std::string_view name) {
  return quote_identifier(engine, schema) + "." + quote_identifier(engine, name);
}

std::string placeholder(Engine engine, int n) {
  if (n < 1) throw Error(Status::critical, fmt::format("placeholder number {} (they start at 1)", n));
  return engine == Engine::postgresql ? fmt::format("${}", n) : std::string("?");
}

}  // namespace ops::db
