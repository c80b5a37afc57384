#pragma once
// A database as an operator names it on a command line: the NAME of a
// [db.NAME] section of ops.conf, or a DSN. Every tool that takes "NAME|DSN"
// resolves it here, so the rules are the same everywhere.

#include <ops/config.hpp>
#include <ops/db.hpp>

#include <string>
#include <string_view>

namespace ops::db {

struct Target {
  std::string name;  // the section name, or the DSN for messages (never a password)
  Dsn dsn;
  ConnectOptions options;
};

// Anything with "://" is a DSN; anything else must be a [db.NAME] section
// (exit 3 otherwise, with the known names as a hint). password_file, when not
// empty, overrides the section's password_file. A warning about the password
// file, when connect() reads it, is added to `warnings` (the run's ctx.warnings).
Target resolve_target(const Config& config, std::string_view name_or_dsn, Warnings& warnings,
                      const std::string& password_file = {});

}  // namespace ops::db
