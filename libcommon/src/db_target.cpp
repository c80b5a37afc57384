// resolve_target(): NAME of [db.NAME] or a DSN, to what connect() needs.

#include <ops/db_target.hpp>
#include <ops/text.hpp>
#include <ops/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ops::db {

Target resolve_target(const Config& config, std::string_view name_or_dsn, Warnings& warnings,
                      const std::string& password_file) {
  Target target;
  target.options.warnings = &warnings;
  if (name_or_dsn.find("://") != std::string_view::npos) {
    target.dsn = parse_dsn(name_or_dsn);
    target.name = target.dsn.display();
  } else {
    auto section = config.database(std::string(name_or_dsn));
    if (!section) {
      auto names = config.database_names();
      std::string hint = names.empty()
                             ? "give a DSN (postgresql://, mysql://, sqlite:///) or add a [db.NAME] section to ops.conf"
                             : fmt::format("databases in {}: {}", config.path().string(), fmt::join(names, ", "));
      fail_usage(fmt::format("unknown database '{}': not a DSN and no [db.{}] in {}", shown(name_or_dsn), shown(name_or_dsn),
                             config.path().empty() ? std::string("the configuration") : config.path().string()),
                 hint);
    }
    if (section->dsn.empty())
      fail_usage(fmt::format("[db.{}] in {} has no dsn", section->name, config.path().string()));
    try {
      target.dsn = parse_dsn(section->dsn);
    } catch (const Error& e) {
      fail_usage(fmt::format("[db.{}] in {}: {}", section->name, config.path().string(), e.what()), e.hint());
    }
    target.name = section->name;
    target.options.password_file = section->password_file;
  }
  if (!password_file.empty()) target.options.password_file = password_file;
  // Read now, before the tool starts any work: a bad password file is a usage
  // error (exit 3) that must leave nothing behind. SQLite needs none.
  if (!target.options.password_file.empty() && target.dsn.engine != Engine::sqlite)
    target.options.password = read_password_file(target.options.password_file, warnings);
  return target;
}

}  // namespace ops::db
