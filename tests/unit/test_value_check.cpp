// ops/value_check.hpp: each check accepts what its reader reads and refuses,
// as bad usage naming the value, what the reader would refuse later; and a
// po value declared with a check hands it back (check_of).
#include <ops/error.hpp>
#include <ops/fs_regular.hpp>
#include <ops/value_check.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <filesystem>
#include <string>

namespace po = boost::program_options;
using ops::test::TempDir;

namespace {

// The usage error of `check` for text ("" when it accepts the text).
std::string refusal(const ops::ValueCheck& check, const std::string& text, const ops::Config& config = {}) {
  try {
    check(text, config);
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    return e.what();
  }
  return {};
}

#define CHECK_CONTAINS(text, part) CHECK_THAT(text, Catch::Matchers::Contains(part))

}  // namespace

TEST_CASE("value checks: numbers have ranges and no other spelling") {
  const auto threads = ops::integer_check(1, 256);
  CHECK(refusal(threads, "1").empty());
  CHECK(refusal(threads, "256").empty());
  CHECK(refusal(threads, "0") == "invalid value '0' (expected a whole number from 1 to 256)");
  CHECK(refusal(threads, "257") == "invalid value '257' (expected a whole number from 1 to 256)");
  CHECK(refusal(threads, "1e999") == "invalid value '1e999' (expected a whole number from 1 to 256)");
  CHECK(refusal(threads, "") == "invalid value '' (expected a whole number from 1 to 256)");
  CHECK(refusal(threads, "2 ") == "invalid value '2 ' (expected a whole number from 1 to 256)");
  CHECK(refusal(ops::integer_check(0), "-1") == "invalid value '-1' (expected a whole number >= 0)");
  CHECK(refusal(ops::integer_check(0), "99999999999999999999") ==
        "invalid value '99999999999999999999' (expected a whole number >= 0)");
  CHECK(ops::parse_integer("42", 0, 100) == 42);

  const auto days = ops::number_check(0);
  CHECK(refusal(days, "0").empty());
  CHECK(refusal(days, "2.5").empty());
  CHECK(refusal(days, "-1") == "invalid value '-1' (expected a number >= 0)");
  for (const char* text : {"nan", "inf", "-inf", "1e999", "x", ""})
    CHECK(refusal(days, text) == "invalid value '" + std::string(text) + "' (expected a number >= 0)");
  CHECK(refusal(ops::number_check(0, 100), "101") == "invalid value '101' (expected a number from 0 to 100)");
}

TEST_CASE("value checks: sizes, durations, thresholds, words and formats") {
  CHECK(refusal(ops::size_check(), "1.5G").empty());
  CHECK_CONTAINS(refusal(ops::size_check(), "10X"), "invalid size '10X'");

  CHECK(refusal(ops::duration_check(), "0s").empty());
  CHECK(refusal(ops::duration_check(1), "1s").empty());
  CHECK(refusal(ops::duration_check(1), "0s") == "invalid duration '0s': must be at least 1s");
  CHECK_CONTAINS(refusal(ops::duration_check(1), "-1d"), "invalid duration '-1d'");
  CHECK_CONTAINS(refusal(ops::duration_check(), "6m"), "ambiguous");

  CHECK(refusal(ops::threshold_check(), "80%").empty());
  CHECK(refusal(ops::threshold_check(), "2G").empty());
  CHECK_CONTAINS(refusal(ops::threshold_check(), "80"), "invalid threshold '80'");
  CHECK(refusal(ops::threshold_check(true), "90%").empty());
  CHECK(refusal(ops::threshold_check(true), "2G") ==
        "invalid threshold '2G': a percentage is expected here, like 90%");

  CHECK(refusal(ops::word_check({"plain", "custom"}), "custom").empty());
  CHECK(refusal(ops::word_check({"plain", "custom"}), "Plain") == "invalid value 'Plain' (expected plain, custom)");

  CHECK(refusal(ops::format_check(), "json").empty());
  CHECK(refusal(ops::format_check(), "yaml") == "invalid format 'yaml': expected text, tsv or json");
}

TEST_CASE("value checks: DSNs, and databases named by a DSN or a [db.NAME]") {
  CHECK(refusal(ops::dsn_check(), "postgresql://u@h/db?sslmode=require").empty());
  CHECK_CONTAINS(refusal(ops::dsn_check(), "notadsn://foo"), "unknown scheme 'notadsn'");
  CHECK_CONTAINS(refusal(ops::dsn_check(), "postgresql://u:pw@h/db"), "a password may not be written in a DSN");
  CHECK_CONTAINS(refusal(ops::dsn_check(), "postgresql://u@h/db?sslmode=bogus"), "invalid sslmode 'bogus'");

  const auto config = ops::Config::parse("/etc/ops/ops.conf", "[db.app]\ndsn = sqlite:///srv/app.db\n");
  const auto database = ops::database_check();
  CHECK(refusal(database, "app", config).empty());
  CHECK(refusal(database, "sqlite:///srv/other.db", config).empty());
  CHECK(refusal(database, "apps", config) == "unknown database 'apps': not a DSN and no [db.apps] section");
  CHECK_CONTAINS(refusal(database, "mysql://u@h/db?ssl-mode=x", config), "bad ssl-mode 'x'");
  CHECK(refusal(database, "app") == "unknown database 'app': not a DSN and no [db.app] section");
}

TEST_CASE("value checks: a file to create must be in a directory that exists, and not be one") {
  TempDir dir;
  const auto file = ops::new_file_check();
  CHECK(refusal(file, dir.str() + "/new.lock").empty());
  CHECK(refusal(file, dir.write("old.lock", "").string()).empty());
  CHECK(refusal(file, dir.str()) == "'" + dir.str() + "' is a directory, not a regular file");
  CHECK(refusal(file, dir.str() + "/nodir/x.lock") ==
        "cannot use '" + dir.str() + "/nodir/x.lock': its directory " + dir.str() + "/nodir: No such file or directory");
  const std::string plain = dir.write("plain", "").string();
  CHECK(refusal(file, plain + "/x") == "cannot use '" + plain + "/x': " + plain + " is not a directory");
  CHECK(refusal(file, "") == "the file name is empty");
  // The null device only where the caller takes it ("keep nothing": logrotate's -s /dev/null).
  CHECK(refusal(file, "/dev/null") == "'/dev/null' is a character device, not a regular file");
  const auto or_null = ops::new_file_check(ops::NewFile::or_null_device);
  CHECK(refusal(or_null, "/dev/null").empty());
  CHECK(refusal(or_null, "/dev/zero") == "'/dev/zero' is a character device, not a regular file");
  CHECK(refusal(or_null, dir.str()) == "'" + dir.str() + "' is a directory, not a regular file");
  CHECK(refusal(or_null, dir.str() + "/new.state").empty());
  CHECK(ops::checks_the_host(or_null));
}

TEST_CASE("fs: the null device is /dev/null's device, not its name") {
  TempDir dir;
  CHECK(ops::is_null_device("/dev/null"));
  CHECK_FALSE(ops::is_null_device("/dev/zero"));
  CHECK_FALSE(ops::is_null_device(dir.path()));
  CHECK_FALSE(ops::is_null_device(dir.path() / "missing"));
  // A symlink to it is a symlink: refused where symlinks are.
  std::filesystem::create_symlink("/dev/null", dir.path() / "link");
  CHECK_FALSE(ops::is_null_device(dir.path() / "link"));
}

TEST_CASE("value checks: a po value declared with a check hands it back") {
  std::unique_ptr<po::value_semantic> one(ops::cli::checked_value(ops::integer_check(1, 2)));
  std::unique_ptr<po::value_semantic> list(ops::cli::checked_list(ops::integer_check(1, 2)));
  std::unique_ptr<po::value_semantic> plain(po::value<std::string>());
  REQUIRE(ops::cli::check_of(*one));
  REQUIRE(ops::cli::check_of(*list));
  CHECK(list->is_composing());
  CHECK_FALSE(ops::cli::check_of(*plain));
  CHECK(refusal(*ops::cli::check_of(*one), "3") == "invalid value '3' (expected a whole number from 1 to 2)");
}
