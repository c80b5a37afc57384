#include "opsaudit/logins/app_logins.hpp"

#include <ops/error.hpp>
#include <ops/value_check.hpp>

namespace opsaudit {

const ops::SectionSchema& app_login_schema() {
  static const ops::SectionSchema schema{
      "audit",
      "an [audit.NAME] section (an application's login events)",
      {ops::SectionKey("db", ops::KeyType::text, "the database that holds the events: NAME of [db.NAME], or a DSN")
           .as_required(),
       ops::SectionKey("sql", ops::KeyType::text,
                       "the query: SELECT time, address, user, succeeded FROM …, run read-only as written")
           .as_required()}};
  return schema;
}

std::vector<AppLoginSource> app_login_sources(const ops::Config& config) {
  std::vector<AppLoginSource> sources;
  for (const std::string& name : config.named_sections("audit")) {
    ops::SectionValues values = ops::read_section(config, app_login_schema(), name);
    sources.push_back({name, *values.text("db"), *values.text("sql"), values.where()});
  }
  return sources;
}

}  // namespace opsaudit
