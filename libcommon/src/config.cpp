#include <ops/config.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/sections.hpp>
#include <ops/text.hpp>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>

namespace ops {

namespace {

bool valid_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

Config Config::parse(const std::filesystem::path& path, const std::string& text) {
  Config config;
  config.path_ = path;
  ConfigSection* current = nullptr;
  std::set<std::string> seen_sections;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line(trim(std::string_view(text).substr(pos, end - pos)));
    pos = end + 1;
    ++line_no;
    auto bad = [&](const std::string& why) { fail_usage(fmt::format("{}: {}", config.where(line_no), why)); };
    // A NUL would silently cut the value wherever it reaches a C string (a
    // path, a DSN): a file holding one is not a configuration file.
    if (line.find('\0') != std::string::npos) bad("contains a NUL byte (is this a text file?)");
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') bad(fmt::format("unterminated section header '{}'", shown(line)));
      std::string name(trim(std::string_view(line).substr(1, line.size() - 2)));
      if (!valid_name(name)) bad(fmt::format("invalid section name '{}'", shown(name)));
      if (name == "db" || (name.rfind("db.", 0) == 0 && name.size() == 3))
        bad("a database section needs a name: [db.NAME]");
      if (!seen_sections.insert(name).second) bad(fmt::format("section [{}] appears twice", name));
      config.sections_.push_back(ConfigSection{name, line_no, {}});
      current = &config.sections_.back();
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) bad(fmt::format("expected 'key = value', got '{}'", shown(line)));
    std::string key(trim(std::string_view(line).substr(0, eq)));
    std::string value(trim(std::string_view(line).substr(eq + 1)));
    if (!valid_name(key)) bad(fmt::format("invalid key '{}'", shown(key)));
    if (!current) bad(fmt::format("key '{}' is outside any [section]", shown(key)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    current->entries.push_back(ConfigEntry{key, value, line_no});
  }
  // Every tool refuses a bad [db.NAME], whether it uses it or not.
  for (const auto& name : config.database_names()) read_section(config, database_schema(), name);
  return config;
}

Config Config::load(const std::string& explicit_path) {
  std::string path = explicit_path;
  if (path.empty())
    if (const char* env = std::getenv("OPS_CONFIG"); env && *env) path = env;
  if (path.empty()) {
    const char* fallback = "/etc/ops/ops.conf";
    struct stat st {};
    if (::stat(fallback, &st) != 0) return Config();
    path = fallback;
  }
  std::string text;
  try {
    text = read_file(path);
  } catch (const Error& e) {
    if (e.status() == Status::unknown) throw;  // "X is not a regular file" (a FIFO): the hint would mislead
    fail_usage(e.what(), "give an existing file with -c/--config or OPS_CONFIG");
  }
  return parse(path, text);
}

const ConfigSection* Config::section(const std::string& name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

const SectionSchema& Config::database_schema() {
  using Key = SectionKey;
  static const SectionSchema schema{"db", "a [db.NAME] section", {
    Key("dsn", KeyType::text, "postgresql://user@host:port/db, mysql://user@host:port/db or sqlite:///path.db")
        .as_required()
        .with_check(dsn_check()),
    Key("password_file", KeyType::path, "a file whose first line is the password"),
  }};
  return schema;
}

std::optional<DatabaseConfig> Config::database(const std::string& name) const {
  if (!section("db." + name)) return std::nullopt;
  const SectionValues values = read_section(*this, database_schema(), name);
  return DatabaseConfig{name, *values.text("dsn"), values.text("password_file").value_or("")};
}

std::vector<std::string> Config::database_names() const { return named_sections("db"); }

std::vector<std::string> Config::named_sections(const std::string& kind) const {
  std::vector<std::string> names;
  const std::string prefix = kind + ".";
  for (const auto& s : sections_)
    if (s.name.rfind(prefix, 0) == 0) names.push_back(s.name.substr(prefix.size()));
  return names;
}

std::string Config::where(int line) const {
  return fmt::format("{}:{}", path_.empty() ? std::string("<config>") : path_.string(), line);
}

}  // namespace ops
