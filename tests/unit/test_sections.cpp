// ops/sections.hpp: named sections of ops.conf read by a schema — typed
// values, defaults, the plain [KIND] section's defaults, and errors that name
// the file, the line, the key and the value.
#include <ops/error.hpp>
#include <ops/sections.hpp>

#include <ops/cli.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <vector>

#include <string>

namespace {

using ops::KeyType;
using Key = ops::SectionKey;

const ops::SectionSchema& schema() {
  static const ops::SectionSchema s{"job", "a [job.NAME] section", {
    Key("target", KeyType::text, "what to work on").as_required(),
    Key("file", KeyType::path, "a file").with_option("file", "PATH"),
    Key("enabled", KeyType::flag, "a switch"),
    Key("count", KeyType::integer, "a number").with_range(1, 100).with_default("10").inherited(),
    Key("limit", KeyType::size, "a size").with_default("1M"),
    Key("every", KeyType::duration, "a duration").inherited(),
    Key("tag", KeyType::list, "repeatable"),
    Key("compress", KeyType::compression, "a format"),
  }};
  return s;
}

ops::SectionValues read(const std::string& text, const std::string& name = "a") {
  const auto config = ops::Config::parse("/etc/ops/ops.conf", text);
  return ops::read_section(config, schema(), name);
}

// The exit-3 message of reading [job.a] out of `text`.
std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    return e.what();
  }
  FAIL("accepted:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("sections: typed values, and where each came from") {
  const auto v = read("[job.a]\ntarget = db1\nfile = /tmp/x\nenabled = yes\ncount = 7\nlimit = 1.5G\n"
                      "every = 1h30min\ntag = one\ntag = two\ncompress = zstd\n");
  CHECK(v.name() == "a");
  CHECK(v.where() == "/etc/ops/ops.conf:1");
  CHECK(v.text("target") == "db1");
  CHECK(v.text("file") == "/tmp/x");
  CHECK(v.flag("enabled"));
  CHECK(v.integer("count") == 7);
  CHECK(v.size("limit") == 1610612736U);
  CHECK(v.duration("every") == std::chrono::seconds(5400));
  CHECK(v.list("tag") == std::vector<std::string>{"one", "two"});
  CHECK(v.compression("compress") == ops::Compression::zstd);
  CHECK(v.where("count") == "/etc/ops/ops.conf:5");
  CHECK(v.given("count"));
}

TEST_CASE("sections: defaults for absent keys, and [KIND] for inherited ones") {
  auto v = read("[job.a]\ntarget = x\n");
  CHECK(v.integer("count") == 10);  // the schema's default
  CHECK_FALSE(v.given("count"));
  CHECK(v.size("limit") == 1048576U);
  CHECK_FALSE(v.flag("enabled"));
  CHECK_FALSE(v.duration("every"));
  CHECK_FALSE(v.text("file"));
  CHECK(v.list("tag").empty());
  CHECK_FALSE(v.compression("compress"));

  v = read("[job]\ncount = 20\nevery = 1d\n\n[job.a]\ntarget = x\n\n[job.b]\ntarget = y\ncount = 30\n");
  CHECK(v.integer("count") == 20);  // [job] wins over the built-in default
  CHECK(v.duration("every") == std::chrono::hours(24));
  CHECK(v.where("count") == "/etc/ops/ops.conf:2");
  CHECK_FALSE(v.given("count"));
  CHECK(read("[job]\ncount = 20\n[job.b]\ntarget = y\ncount = 30\n", "b").integer("count") == 30);
}

TEST_CASE("sections: every section spells a switch the same way") {
  for (const char* yes : {"yes", "true", "on", "1", "Yes", "TRUE", "On"})
    CHECK(read(std::string("[job.a]\ntarget = x\nenabled = ") + yes + "\n").flag("enabled"));
  for (const char* no : {"no", "false", "off", "0", "No", "FALSE"})
    CHECK_FALSE(read(std::string("[job.a]\ntarget = x\nenabled = ") + no + "\n").flag("enabled"));
  // A compression is a format or a switch: yes is gzip, no is none.
  CHECK(read("[job.a]\ntarget = x\ncompress = yes\n").compression("compress") == ops::Compression::gzip);
  CHECK(read("[job.a]\ntarget = x\ncompress = off\n").compression("compress") == ops::Compression::none);
  CHECK(read("[job.a]\ntarget = x\ncompress = gz\n").compression("compress") == ops::Compression::gzip);
}

TEST_CASE("sections: an unknown key names file, line, key and section, and lists the keys") {
  try {
    read("[job.a]\ntarget = x\n\ncuont = 3\n");
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    CHECK(std::string(e.what()) == "/etc/ops/ops.conf:4: unknown key 'cuont' in [job.a]");
    CHECK(e.hint() == "the keys of a [job.NAME] section are: target, file, enabled, count, limit, every, tag, compress");
  }
}

TEST_CASE("sections: a bad value names file, line, key and value") {
  CHECK(error_of("[job.a]\ntarget = x\nenabled = maybe\n") ==
        "/etc/ops/ops.conf:3: invalid value 'maybe' for 'enabled' (expected true or false)");
  CHECK(error_of("[job.a]\ntarget = x\nenabled =\n") ==
        "/etc/ops/ops.conf:3: invalid value '' for 'enabled' (expected true or false)");
  CHECK(error_of("[job.a]\ntarget = x\ncount = 0\n") ==
        "/etc/ops/ops.conf:3: invalid value '0' for 'count' (expected a whole number from 1 to 100)");
  CHECK(error_of("[job.a]\ntarget = x\ncount = 7x\n") ==
        "/etc/ops/ops.conf:3: invalid value '7x' for 'count' (expected a whole number from 1 to 100)");
  CHECK_THAT(error_of("[job.a]\ntarget = x\nlimit = 10X\n"),
             Catch::Matchers::StartsWith("/etc/ops/ops.conf:3: limit: invalid size '10X'"));
  CHECK_THAT(error_of("[job.a]\ntarget = x\nevery = soon\n"),
             Catch::Matchers::StartsWith("/etc/ops/ops.conf:3: every: invalid duration 'soon'"));
  CHECK_THAT(error_of("[job.a]\ntarget = x\ncompress = brotli\n"),
             Catch::Matchers::StartsWith("/etc/ops/ops.conf:3: compress: unknown compression 'brotli'"));
  // A bad value inherited from [job] names its own line there.
  CHECK(error_of("[job]\ncount = 500\n[job.a]\ntarget = x\n") ==
        "/etc/ops/ops.conf:2: invalid value '500' for 'count' (expected a whole number from 1 to 100)");
}

TEST_CASE("sections: a key twice is an error, as everywhere in ops.conf; a list key may repeat") {
  // The rule of config.cpp for [db.NAME] and of the tool sections: which line was meant?
  CHECK(error_of("[job.a]\ntarget = x\ncount = 3\n# later\ncount = 4\n") ==
        "/etc/ops/ops.conf:5: key 'count' repeated in [job.a] (first set at line 3)");
  CHECK(read("[job.a]\ntarget = x\ntag = a\ntag = b\ntag = a\n").list("tag").size() == 3);
}

TEST_CASE("sections: a required key names the section") {
  CHECK(error_of("[job.a]\ncount = 3\n") == "/etc/ops/ops.conf:1: [job.a] has no 'target'");
}

TEST_CASE("sections: asking for an undeclared key or the wrong type is a programming error") {
  const auto v = read("[job.a]\ntarget = x\n");
  CHECK_THROWS_AS(v.text("nosuch"), std::logic_error);
  CHECK_THROWS_AS(v.flag("count"), std::logic_error);
  CHECK_NOTHROW(v.text("file"));  // a path is text
}

namespace {

// read_options() over a command line parsed with the options add_options() made.
ops::SectionValues from_command_line(std::vector<std::string> args) {
  namespace po = boost::program_options;
  static const ops::SectionSchema cli_schema{"job", "a [job.NAME] section", {
    Key("target", KeyType::text, "what to work on").with_option("target", "NAME"),
    Key("enabled", KeyType::flag, "a switch").with_option("enabled,e"),
    Key("count", KeyType::integer, "a number").with_option("count", "N").with_range(1, 100).with_default("10"),
    Key("every", KeyType::duration, "a duration").with_option("every", "TIME"),
    Key("tag", KeyType::list, "repeatable").with_option("tag", "TAG"),
    Key("compress", KeyType::compression, "a format").with_option("compress", "FORMAT").with_implicit("gzip"),
    Key("only_here", KeyType::text, "a key with no option"),
  }};
  po::options_description desc;
  ops::add_options(desc, cli_schema);
  CHECK(desc.find_nothrow("only-here", false) == nullptr);
  CHECK(desc.find("-e", false, false, false).long_name() == "enabled");
  args.insert(args.begin(), "tool");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  static po::variables_map vm;
  vm.clear();
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), desc), vm);
  static std::map<std::string, std::string> sources;
  sources.clear();
  for (const auto& [name, value] : vm) sources[name] = "--" + name;
  static const ops::cli::CommonOptions common;
  static const ops::Config config;
  static const std::vector<std::string> positional;
  static std::ostringstream out;
  static ops::Metrics metrics;
  const ops::cli::Context ctx(common, config, positional, out, metrics, vm, sources);
  return ops::read_options(ctx, cli_schema);
}

}  // namespace

TEST_CASE("sections: the options a schema declares read like a section") {
  auto v = from_command_line({"--target", "db1", "-e", "--every", "90d", "--tag", "a", "--tag", "b", "--compress"});
  CHECK(v.text("target") == "db1");
  CHECK(v.where("target") == "--target");
  CHECK(v.flag("enabled"));
  CHECK(v.integer("count") == 10);  // the default
  CHECK_FALSE(v.given("count"));
  CHECK(v.duration("every") == std::chrono::hours(24 * 90));
  CHECK(v.list("tag") == std::vector<std::string>{"a", "b"});
  CHECK(v.compression("compress") == ops::Compression::gzip);  // the implicit value

  v = from_command_line({"--compress", "no"});
  CHECK(v.compression("compress") == ops::Compression::none);
  CHECK_FALSE(v.flag("enabled"));

  CHECK_THROWS_WITH(from_command_line({"--count", "0"}), "--count: 0 is out of range (1..100)");
  CHECK_THROWS_WITH(from_command_line({"--compress", "brotli"}),
                    Catch::Matchers::StartsWith("--compress: unknown compression 'brotli'"));
}

TEST_CASE("sections: a key's own check runs after its type, and its refusal names file, line, key and value") {
  static const ops::SectionSchema checked{"job", "a [job.NAME] section", {
    Key("format", KeyType::text, "plain or custom").with_check(ops::word_check({"plain", "custom"})),
    Key("database", KeyType::text, "NAME|DSN").with_check(ops::database_check()),
    Key("keep", KeyType::integer, "a number").with_range(-1, 10).with_check(ops::integer_check(-1, 5)),
  }};
  auto read_checked = [](const std::string& text) {
    return ops::read_section(ops::Config::parse("/etc/ops/ops.conf", text), checked, "a");
  };
  auto refusal = [&](const std::string& text) -> std::string {
    try {
      read_checked(text);
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      return e.what();
    }
    FAIL("accepted:\n" << text);
    return {};
  };
  const auto values = read_checked("[db.app]\ndsn = sqlite:///a.db\n[job.a]\nformat = custom\ndatabase = app\nkeep = 5\n");
  CHECK(*values.text("format") == "custom");
  CHECK(*values.text("database") == "app");
  CHECK(refusal("[job.a]\n\nformat = tar\n") == "/etc/ops/ops.conf:3: format: invalid value 'tar' (expected plain, custom)");
  CHECK(refusal("[job.a]\ndatabase = nosuch\n") ==
        "/etc/ops/ops.conf:2: database: unknown database 'nosuch': not a DSN and no [db.nosuch] section");
  CHECK_THAT(refusal("[job.a]\ndatabase = postgresql://h/db?sslmode=x\n"),
             Catch::Matchers::StartsWith("/etc/ops/ops.conf:2: database: invalid DSN"));
  // The type first (its message names the key), then the check.
  CHECK(refusal("[job.a]\nkeep = 11\n") ==
        "/etc/ops/ops.conf:2: invalid value '11' for 'keep' (expected a whole number from -1 to 10)");
  CHECK(refusal("[job.a]\nkeep = 7\n") ==
        "/etc/ops/ops.conf:2: keep: invalid value '7' (expected a whole number from -1 to 5)");
}
