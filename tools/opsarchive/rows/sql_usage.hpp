#pragma once
// Before anything moves, a statement the server refuses (an unknown column,
// a syntax error in --where, a type that does not fit) is the operator's
// input at fault: exit 3, with the server's message.

#include <ops/db.hpp>
#include <ops/error.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

namespace opsarchive {

// A server error while checking: the statement, not the server, is at fault.
template <typename F>
auto as_usage(const std::string& what, F&& f) {
  try {
    return f();
  } catch (const ops::db::SqlError& e) {
    ops::fail_usage(fmt::format("{}: {}", what, e.what()), e.hint());
  }
}

// Each name quoted for the engine.
inline std::vector<std::string> quoted(ops::db::Engine engine, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(ops::db::quote_identifier(engine, n));
  return out;
}

}  // namespace opsarchive
