#include "archive_jobs.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

#include <charconv>

namespace opsarchive {

namespace {

constexpr const char* kRowsKeys =
    "database, password_file, table, where, to_table, to_db, to_file, file_format, purge, create, batch, sleep, "
    "max_runtime, max_rows, limit_lag, replica, analyze, optimize";

bool parse_bool(const ops::ConfigEntry& e, const std::string& where) {
  const std::string& v = e.value;
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  ops::fail_usage(fmt::format("{}: invalid value '{}' for '{}' (expected true or false)", where, v, e.key));
}

long long parse_count(const ops::ConfigEntry& e, const std::string& where) {
  long long n = 0;
  auto [end, ec] = std::from_chars(e.value.data(), e.value.data() + e.value.size(), n);
  if (ec != std::errc{} || end != e.value.data() + e.value.size() || n < 1)
    ops::fail_usage(fmt::format("{}: invalid value '{}' for '{}' (expected a whole number >= 1)", where, e.value, e.key));
  return n;
}

}  // namespace

std::vector<ArchiveSection> read_archive_sections(const ops::Config& config) {
  std::vector<ArchiveSection> sections;
  for (const auto& name : config.named_sections("archive")) {
    const ops::ConfigSection& s = *config.section("archive." + name);
    sections.push_back({name, config.where(s.line), s.entries});
  }
  if (sections.empty())
    ops::fail_usage(fmt::format("no [archive.NAME] section in {}",
                                config.path().empty() ? "the configuration" : config.path().string()),
                    "add e.g. [archive.audit] with database, table, where and to_table, or [archive.logs] with dir "
                    "and older_than");
  return sections;
}

bool is_rows_section(const ArchiveSection& section) {
  for (const auto& e : section.entries)
    if (e.key == "table") return true;
  return false;
}

RowsSettings read_rows_settings(const ops::Config& config, const ArchiveSection& section) {
  RowsSettings s;
  for (const auto& e : section.entries) {
    const std::string where = config.where(e.line);
    const std::string& v = e.value;
    if (e.key == "database") s.db = v;
    else if (e.key == "password_file") s.password_file = v;
    else if (e.key == "table") s.table = v;
    else if (e.key == "where") s.where = v;
    else if (e.key == "to_table") s.to_table = v;
    else if (e.key == "to_db") s.to_db = v;
    else if (e.key == "to_file") s.to_file = v;
    else if (e.key == "file_format") s.file_format = v;
    else if (e.key == "purge") s.purge = parse_bool(e, where);
    else if (e.key == "create") s.create = parse_bool(e, where);
    else if (e.key == "batch") s.batch = parse_count(e, where);
    else if (e.key == "sleep") s.sleep = v;
    else if (e.key == "max_runtime") s.max_runtime = v;
    else if (e.key == "max_rows") s.max_rows = parse_count(e, where);
    else if (e.key == "limit_lag") s.limit_lag = v;
    else if (e.key == "replica") s.replica = v;
    else if (e.key == "analyze") s.analyze = parse_bool(e, where);
    else if (e.key == "optimize") s.optimize = parse_bool(e, where);
    else
      ops::fail_usage(fmt::format("{}: unknown key '{}' in [archive.{}]", where, e.key, section.name),
                      std::string("the keys of a rows section are: ") + kRowsKeys);
  }
  return s;
}

}  // namespace opsarchive
