// ops/output.hpp: tables as text, TSV and JSON; the Nagios status line; the
// Prometheus textfile.
#include <ops/error.hpp>
#include <ops/output.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

using ops::test::TempDir;
using ops::test::slurp;

constexpr std::int64_t GiB = 1024LL * 1024 * 1024;

std::string printed(const ops::Table& t, ops::Format f) {
  std::ostringstream out;
  t.print(out, f);
  return out.str();
}

// A small df-like table with one unknown (null) cell.
ops::Table disk_table() {
  ops::Table t({{"mounted_on", ops::ColumnKind::text, "MOUNTED ON"},
                {"size", ops::ColumnKind::bytes},
                {"files", ops::ColumnKind::integer},
                {"use_percent", ops::ColumnKind::percent, "USE%"},
                {"status", ops::ColumnKind::text}});
  t.add_row({std::string("/"), 252 * GiB, std::int64_t{1200345}, 18.0, std::string("")});
  t.add_row({std::string("/var/lib/mysql"), 3 * GiB / 2, std::monostate{}, 91.0, std::string("CRITICAL")});
  t.add_row({std::string("/boot"), std::int64_t{512} * 1024 * 1024, std::int64_t{301}, 7.0, std::string("")});
  return t;
}

// The value of one sample line ("name value") in a Prometheus textfile.
std::string sample(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + " ", 0) == 0) return line.substr(name.size() + 1);
  return "<missing " + name + ">";
}

}  // namespace

TEST_CASE("output: text tables are aligned with numbers to the right and no trailing blanks") {
  CHECK(printed(disk_table(), ops::Format::text) ==
        "MOUNTED ON      SIZE    FILES  USE%  STATUS\n"
        "/               252G  1200345   18%\n"
        "/var/lib/mysql  1.5G        -   91%  CRITICAL\n"
        "/boot           512M      301    7%\n");
}

TEST_CASE("output: text tables without a header and with wide characters") {
  ops::Table t({{"name"}, {"count", ops::ColumnKind::integer}}, false);
  t.add_row({std::string("grüße"), std::int64_t{5}});
  t.add_row({std::string("abcdefg"), std::int64_t{12}});
  // Alignment counts characters, not UTF-8 bytes.
  CHECK(printed(t, ops::Format::text) ==
        "grüße     5\n"
        "abcdefg  12\n");
}

TEST_CASE("output: TSV has a header of column names and raw values") {
  CHECK(printed(disk_table(), ops::Format::tsv) ==
        "mounted_on\tsize\tfiles\tuse_percent\tstatus\n"
        "/\t270582939648\t1200345\t18.0\t\n"
        "/var/lib/mysql\t1610612736\t\t91.0\tCRITICAL\n"
        "/boot\t536870912\t301\t7.0\t\n");
}

TEST_CASE("output: TSV escapes tabs and newlines and backslashes inside fields") {
  ops::Table t({{"path"}, {"note"}});
  t.add_row({std::string("/srv/odd\tname"), std::string("two\nlines \\ here")});
  std::string tsv = printed(t, ops::Format::tsv);
  CHECK(tsv == "path\tnote\n/srv/odd\\tname\ttwo\\nlines \\\\ here\n");
  // Every record is one line with exactly one tab per column boundary.
  std::istringstream in(tsv);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    CHECK(std::count(line.begin(), line.end(), '\t') == 1);
  }
  CHECK(lines == 2);
}

TEST_CASE("output: JSON is one valid document with typed values and nulls") {
  auto doc = nlohmann::json::parse(printed(disk_table(), ops::Format::json));
  REQUIRE(doc.is_array());
  REQUIRE(doc.size() == 3);
  const auto& root = doc[0];
  CHECK(root["mounted_on"] == "/");
  CHECK(root["size"].is_number_integer());
  CHECK(root["size"].get<std::int64_t>() == 252 * GiB);
  CHECK(root["files"].get<std::int64_t>() == 1200345);
  CHECK(root["use_percent"].is_number_float());
  CHECK(root["use_percent"].get<double>() == 18.0);
  CHECK(root["status"] == "");
  CHECK(doc[1]["files"].is_null());
  CHECK(doc[1]["status"] == "CRITICAL");
  // Keys in column order, so a person reading it sees the table's order.
  auto text = printed(disk_table(), ops::Format::json);
  CHECK(text.find("\"mounted_on\"") < text.find("\"size\""));
  CHECK(text.find("\"size\"") < text.find("\"use_percent\""));
}

TEST_CASE("output: JSON of an empty table is an empty array; bad UTF-8 does not abort") {
  ops::Table empty({{"name"}});
  CHECK(nlohmann::json::parse(printed(empty, ops::Format::json)) == nlohmann::json::array());
  ops::Table t({{"name"}});
  t.add_row({std::string("bad\xff\xfe name")});
  std::string text;
  REQUIRE_NOTHROW(text = printed(t, ops::Format::json));
  auto doc = nlohmann::json::parse(text);
  CHECK(doc[0]["name"].get<std::string>().find(" name") != std::string::npos);
}

TEST_CASE("output: a short row is padded with unknown cells") {
  ops::Table t({{"a"}, {"b", ops::ColumnKind::integer}});
  t.add_row({std::string("x")});
  CHECK(printed(t, ops::Format::text) == "A  B\nx  -\n");
  CHECK(nlohmann::json::parse(printed(t, ops::Format::json))[0]["b"].is_null());
}

TEST_CASE("output: parse_format") {
  CHECK(ops::parse_format("text") == ops::Format::text);
  CHECK(ops::parse_format("tsv") == ops::Format::tsv);
  CHECK(ops::parse_format("json") == ops::Format::json);
  try {
    ops::parse_format("yaml");
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("'yaml'"));
  }
}

TEST_CASE("output: nagios_line") {
  CHECK(ops::nagios_line("DISK", ops::Status::warning, "/ 85% used", "'/'=85%;80;90") ==
        "DISK WARNING - / 85% used | '/'=85%;80;90");
  CHECK(ops::nagios_line("DISK", ops::Status::ok, "all filesystems below 80%") ==
        "DISK OK - all filesystems below 80%");
  CHECK(ops::nagios_line("BACKUP", ops::Status::critical, "pg_dump failed") == "BACKUP CRITICAL - pg_dump failed");
  CHECK(ops::nagios_line("X", ops::Status::unknown, "?") == "X UNKNOWN - ?");
}

TEST_CASE("output: write_metrics writes the textfile atomically") {
  TempDir dir;
  ops::write_metrics(dir.path().string(), "opsdf", ops::Status::ok, 1700000000.25, 2.5,
                     {{"filesystems", 3}, {"max_use_percent", 91}});
  auto file = dir.path() / "opsdf.prom";
  std::string text = slurp(file);
  CHECK(sample(text, "ops_df_last_run_timestamp_seconds") == "1700000000");
  CHECK(sample(text, "ops_df_last_success_timestamp_seconds") == "1700000002");
  CHECK(sample(text, "ops_df_duration_seconds") == "2.5");
  CHECK(sample(text, "ops_df_exit_status") == "0");
  CHECK(sample(text, "ops_df_filesystems") == "3");
  CHECK(sample(text, "ops_df_max_use_percent") == "91");
  // node_exporter's format: every sample has HELP and TYPE lines before it.
  std::istringstream in(text);
  std::string line, last_help, last_type;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) last_help = line;
    else if (line.rfind("# TYPE ", 0) == 0) last_type = line;
    else {
      INFO("line: " << line);
      auto space = line.find(' ');
      REQUIRE(space != std::string::npos);
      std::string name = line.substr(0, space), value = line.substr(space + 1);
      CHECK(name.rfind("ops_df_", 0) == 0);
      CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
      char* end = nullptr;
      std::strtod(value.c_str(), &end);
      CHECK((!value.empty() && *end == '\0'));  // a number, nothing after it
      CHECK(last_help.rfind("# HELP " + name + " ", 0) == 0);
      CHECK(last_type == "# TYPE " + name + " gauge");
      ++samples;
    }
  }
  CHECK(samples == 6);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);  // node_exporter reads it as another user
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("output: write_metrics keeps the previous last_success on a failed run") {
  TempDir dir;
  auto file = dir.path() / "opsbackup.prom";
  ops::write_metrics(dir.path().string(), "opsbackup", ops::Status::warning, 1700000000, 10, {});
  CHECK(sample(slurp(file), "ops_backup_last_success_timestamp_seconds") == "1700000010");
  ops::write_metrics(dir.path().string(), "opsbackup", ops::Status::critical, 1700086400, 3, {{"bytes_written", 0}});
  std::string text = slurp(file);
  CHECK(sample(text, "ops_backup_last_run_timestamp_seconds") == "1700086400");
  CHECK(sample(text, "ops_backup_last_success_timestamp_seconds") == "1700000010");
  CHECK(sample(text, "ops_backup_exit_status") == "2");
  CHECK(sample(text, "ops_backup_bytes_written") == "0");
  ops::write_metrics(dir.path().string(), "opsbackup", ops::Status::unknown, 1700172800, 0, {});
  text = slurp(file);
  CHECK(sample(text, "ops_backup_last_success_timestamp_seconds") == "1700000010");
  CHECK(sample(text, "ops_backup_exit_status") == "3");
  ops::write_metrics(dir.path().string(), "opsbackup", ops::Status::ok, 1700259200, 1, {});
  CHECK(sample(slurp(file), "ops_backup_last_success_timestamp_seconds") == "1700259201");
}

TEST_CASE("output: write_metrics on a first failed run has no success time") {
  TempDir dir;
  ops::write_metrics(dir.path().string(), "opsrotate", ops::Status::critical, 1700000000, 1, {});
  CHECK(sample(slurp(dir.path() / "opsrotate.prom"), "ops_rotate_last_success_timestamp_seconds") == "0");
}

TEST_CASE("output: write_metrics into a missing directory is an error and not a crash") {
  TempDir dir;
  CHECK_THROWS_AS(ops::write_metrics((dir.path() / "missing").string(), "opsdf", ops::Status::ok, 1, 1, {}),
                  ops::Error);
}

TEST_CASE("output: metric_labels escapes label values as Prometheus' text format requires") {
  CHECK(ops::metric_labels({}) == "");
  CHECK(ops::metric_labels({{"name", "app"}}) == R"({name="app"})");
  CHECK(ops::metric_labels({{"name", "app"}, {"db", "main"}}) == R"({name="app",db="main"})");
  CHECK(ops::metric_labels({{"name", "a\"b"}}) == R"({name="a\"b"})");
  CHECK(ops::metric_labels({{"name", "C:\\x"}}) == R"({name="C:\\x"})");
  CHECK(ops::metric_labels({{"name", "two\nlines"}}) == R"({name="two\nlines"})");
  CHECK(ops::metric_labels({{"name", "{}=, é"}}) == R"({name="{}=, é"})");  // nothing else is special
}

TEST_CASE("output: a label value with a quote, backslash or newline keeps the sample on one valid line") {
  TempDir dir;
  ops::write_metrics(dir.path().string(), "opsbackup", ops::Status::ok, 1700000000, 1,
                     {{"backup_bytes" + ops::metric_labels({{"name", "we\"ird\\job\nx"}}), 42}});
  const std::string text = slurp(dir.path() / "opsbackup.prom");
  CHECK_THAT(text, Catch::Matchers::Contains("# TYPE ops_backup_backup_bytes gauge\n"
                                             "ops_backup_backup_bytes{name=\"we\\\"ird\\\\job\\nx\"} 42\n"));
}
