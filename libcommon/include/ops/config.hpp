#pragma once
// ops.conf: an INI file with one section per tool ([df], [backup], …) and named
// sections for databases ([db.app]). Read once, with line numbers kept, so that
// every complaint names the file and line.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ops {

struct ConfigEntry {
  std::string key;
  std::string value;
  int line = 0;
};

struct ConfigSection {
  std::string name;
  int line = 0;
  std::vector<ConfigEntry> entries;
};

struct SectionSchema;

// What [db.NAME] says about a database.
struct DatabaseConfig {
  std::string name;
  std::string dsn;
  std::string password_file;
};

class Config {
 public:
  // An empty configuration (no file).
  Config() = default;

  // Parses text; errors name `path` and the line. Exit-3 errors, nothing else.
  static Config parse(const std::filesystem::path& path, const std::string& text);
  // Reads the file: explicit path (must exist), else $OPS_CONFIG (must exist),
  // else /etc/ops/ops.conf when present, else an empty configuration.
  static Config load(const std::string& explicit_path);

  const std::filesystem::path& path() const noexcept { return path_; }
  const ConfigSection* section(const std::string& name) const;

  // The [db.NAME] section, or nullopt. Its keys (database_schema()) were
  // checked by parse().
  std::optional<DatabaseConfig> database(const std::string& name) const;
  std::vector<std::string> database_names() const;
  // The NAMEs of the [KIND.NAME] sections, in file order ("backup" -> app, uploads).
  std::vector<std::string> named_sections(const std::string& kind) const;

  // "/etc/ops/ops.conf:12" for messages.
  std::string where(int line) const;

  // The keys of [db.NAME] (ops/sections.hpp).
  static const SectionSchema& database_schema();

 private:
  std::filesystem::path path_;
  std::vector<ConfigSection> sections_;
};

}  // namespace ops
