// man/ops.conf.5 against the code: every key of every named-section schema
// and every key of every tool's own section (its subcommands' long options)
// is named in the page's .SS block of that section, so the page cannot drift.
#include <ops/cli.hpp>
#include <ops/config.hpp>
#include <ops/sections.hpp>

#include <catch2/catch.hpp>

#include "opsarchive/commands.hpp"
#include "opsaudit/commands.hpp"
#include "opsaudit/logins/app_logins.hpp"
#include "opsbackup/backup_jobs.hpp"
#include "opsbackup/commands.hpp"
#include "opsdb/commands.hpp"
#include "opsdb/run/dbupkeep_sections.hpp"
#include "opsdf/commands.hpp"
#include "opshealth/check.hpp"
#include "opshealth/commands.hpp"
#include "opshealth/health_sections.hpp"
#include "opsrotate/commands.hpp"
#include "opsarchive/files/files_options.hpp"
#include "opsarchive/rows/rows_options.hpp"
#include "support.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace {

// The text of `.SS [title]` up to the next .SS or .SH.
std::string man_section(const std::string& title) {
  const std::string page = ops::test::slurp(std::filesystem::path(OPS_SOURCE_DIR) / "man/ops.conf.5");
  const std::string heading = ".SS [" + title + "]\n";
  const std::size_t at = page.find(heading);
  if (at == std::string::npos) return {};
  const std::size_t begin = at + heading.size();
  std::size_t end = page.size();
  for (const char* next : {"\n.SS ", "\n.SH "}) end = std::min(end, page.find(next, begin));
  return page.substr(begin, end - begin);
}

const std::vector<std::string> kNone;

// A key is named in bold: \fBkey\fR in running text, or `.B key` on a line.
bool documents(const std::string& text, const std::string& key) {
  return text.find("\\fB" + key + "\\fR") != std::string::npos || text.find("\n.B " + key + "\n") != std::string::npos ||
         text.rfind(".B " + key + "\n", 0) == 0;
}

std::vector<std::string> undocumented(const std::string& title, const std::vector<std::string>& keys) {
  const std::string text = man_section(title);
  if (text.empty()) return {"(no .SS [" + title + "])"};
  std::vector<std::string> missing;
  for (const auto& key : keys)
    if (!documents(text, key)) missing.push_back(key);
  return missing;
}

std::vector<std::string> keys_of(const ops::SectionSchema& schema) {
  std::vector<std::string> keys;
  for (const auto& k : schema.keys) keys.push_back(k.name);
  return keys;
}

// The keys of a tool's own section: the long options of its subcommands, '_' for '-'.
std::vector<std::string> keys_of(const std::vector<ops::cli::Subcommand>& subcommands) {
  std::set<std::string> keys;
  for (const auto& sub : subcommands) {
    if (!sub.add_options) continue;
    boost::program_options::options_description own;
    sub.add_options(own);
    for (const auto& option : own.options()) {
      std::string key = option->long_name();
      for (auto& c : key)
        if (c == '-') c = '_';
      keys.insert(key);
    }
  }
  return {keys.begin(), keys.end()};
}

}  // namespace

TEST_CASE("sections doc: every key of every named section is in ops.conf(5)") {
  CHECK(undocumented("db.NAME", keys_of(ops::Config::database_schema())) == kNone);
  CHECK(undocumented("backup.NAME", keys_of(opsbackup::backup_job_schema())) == kNone);
  CHECK(undocumented("archive.NAME", keys_of(opsarchive::rows_schema())) == kNone);
  CHECK(undocumented("archive.NAME", keys_of(opsarchive::files_schema())) == kNone);
  CHECK(undocumented("audit.NAME", keys_of(opsaudit::app_login_schema())) == kNone);
  CHECK(undocumented("dbupkeep.NAME", keys_of(opsdb::dbupkeep_schema())) == kNone);
  for (const opshealth::Kind& kind : opshealth::kinds()) {
    INFO("check = " << kind.name);
    CHECK(undocumented("health.NAME", keys_of(opshealth::section_schema(kind))) == kNone);
  }
}

TEST_CASE("sections doc: every key of every tool's own section is in ops.conf(5)") {
  // Each tool's own table, as its main() runs it: a subcommand added there is checked here.
  for (const ops::cli::Tool& tool : {opsdf::tool(), opsbackup::tool(), opsarchive::tool(), opsrotate::tool(), opshealth::tool(), opsaudit::tool(), opsdb::tool()}) {
    INFO(tool.name);
    CHECK(undocumented(tool.config_section, keys_of(tool.subcommands)) == kNone);
  }
}
