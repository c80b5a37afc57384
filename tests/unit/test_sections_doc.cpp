// man/ops.conf.5 against the code: every key of every named-section schema
// and every key of every tool's own section (its subcommands' long options)
// is named in the page's .SS block of that section, so the page cannot drift.
#include <ops/cli.hpp>
#include <ops/config.hpp>
#include <ops/sections.hpp>

#include <catch2/catch.hpp>

#include "opsbackup/backup_jobs.hpp"
#include "opsarchive/files/files_options.hpp"
#include "opsarchive/rows/rows_options.hpp"
#include "support.hpp"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

// The subcommands of each tool, as its main.cpp puts them in its table (the
// tools' commands.hpp files share a name, so they are declared here).
namespace opsdf {
ops::cli::Subcommand fs_command();
ops::cli::Subcommand du_command();
ops::cli::Subcommand db_command();
ops::cli::Subcommand record_command();
ops::cli::Subcommand forecast_command();
}  // namespace opsdf
namespace opsbackup {
ops::cli::Subcommand db_command();
ops::cli::Subcommand files_command();
ops::cli::Subcommand list_command();
ops::cli::Subcommand verify_command();
ops::cli::Subcommand prune_command();
ops::cli::Subcommand restore_command();
ops::cli::Subcommand run_command();
}  // namespace opsbackup
namespace opsarchive {
ops::cli::Subcommand rows_command();
ops::cli::Subcommand files_command();
ops::cli::Subcommand run_command();
}  // namespace opsarchive
namespace opsrotate {
ops::cli::Subcommand rotate_command();
}  // namespace opsrotate

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
}

TEST_CASE("sections doc: every key of every tool's own section is in ops.conf(5)") {
  CHECK(undocumented("df", keys_of({opsdf::fs_command(), opsdf::du_command(), opsdf::db_command(),
                                    opsdf::record_command(), opsdf::forecast_command()})) == kNone);
  CHECK(undocumented("backup", keys_of({opsbackup::db_command(), opsbackup::files_command(),
                                        opsbackup::list_command(), opsbackup::verify_command(),
                                        opsbackup::prune_command(), opsbackup::restore_command(),
                                        opsbackup::run_command()})) == kNone);
  CHECK(undocumented("archive", keys_of({opsarchive::rows_command(), opsarchive::files_command(),
                                         opsarchive::run_command()})) == kNone);
  CHECK(undocumented("rotate", keys_of({opsrotate::rotate_command()})) == kNone);
}
