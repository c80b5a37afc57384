// ops/cli.hpp: suggest(), and run() driving a small fake tool the way a user
// would: argv in, exit status, stdout and stderr out.
#include <ops/cli.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>
#include <ops/value_check.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
namespace po = boost::program_options;
using ops::Status;
using ops::cli::Context;

namespace {

using ops::test::EnvGuard;
using ops::test::TempDir;
using ops::test::slurp;

// A tool with two subcommands, one to look at option values and one to end
// the run in a chosen way.
ops::cli::Tool fake_tool(std::string default_subcommand = {}) {
  ops::cli::Subcommand greet{
      "greet", "[WHO...]", "print the option values",
      [](po::options_description& d) {
        d.add_options()
          ("name", po::value<std::string>()->default_value("world"), "who to greet")
          ("size", po::value<std::string>(), "a size")
          ("every", po::value<std::string>(), "a duration")
          ("top", po::value<std::string>(), "an integer 1..100")
          ("ratio", po::value<std::string>(), "a number")
          ("tag", po::value<std::vector<std::string>>()->composing(), "repeatable")
          ("loud", po::bool_switch(), "a switch");
      },
      [](Context& ctx) {
        ctx.out << "hello " << ctx.get<std::string>("name") << " from " << ctx.source("name") << "\n";
        if (auto s = ctx.size("size")) ctx.out << "size " << *s << "\n";
        if (auto e = ctx.duration("every")) ctx.out << "every " << e->count() << "s\n";
        if (auto t = ctx.integer("top", 1, 100)) ctx.out << "top " << *t << "\n";
        if (auto r = ctx.number("ratio")) ctx.out << "ratio " << *r << "\n";
        for (const auto& t : ctx.list("tag")) ctx.out << "tag " << t << "\n";
        if (ctx.flag("loud")) ctx.out << "LOUD\n";
        for (const auto& a : ctx.args) ctx.out << "arg " << a << "\n";
        ctx.metrics["greetings"] = 1;
        return Status::ok;
      },
      0, 2};
  ops::cli::Subcommand check{
      "check", "", "end the run with a chosen outcome",
      [](po::options_description& d) {
        d.add_options()("outcome", po::value<std::string>()->default_value("ok"), "how to end");
      },
      [](Context& ctx) {
        auto outcome = ctx.get<std::string>("outcome");
        ctx.out << "checked\n";
        if (outcome == "warn-log") ctx.warnings.add("{} is {}% full", "/var", 85);
        if (outcome == "return-critical") return Status::critical;
        if (outcome == "throw-critical") ops::fail("cannot dump app: pg_dump exited with status 1");
        if (outcome == "throw-unknown") ops::fail_usage("cannot tell", "try harder");
        if (outcome == "throw-std") throw std::runtime_error("vector::at");
        return ctx.warnings.status();
      },
      0, 0};
  return {"faketool", "A tool for the tests.", "fake", {greet, check}, std::move(default_subcommand)};
}

struct Result {
  int rc = -1;
  std::string out, err;
};

// Redirects fds 1 and 2 to temporary files for a scope.
class Capture {
 public:
  Capture() : out_(std::tmpfile()), err_(std::tmpfile()) {
    if (!out_ || !err_) throw std::runtime_error("tmpfile failed");
    flush();
    saved_out_ = ::dup(1);
    saved_err_ = ::dup(2);
    ::dup2(::fileno(out_), 1);
    ::dup2(::fileno(err_), 2);
  }
  ~Capture() {
    restore();
    std::fclose(out_);
    std::fclose(err_);
  }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;

  void restore() {
    if (saved_out_ < 0) return;
    flush();
    ::dup2(saved_out_, 1);
    ::dup2(saved_err_, 2);
    ::close(saved_out_);
    ::close(saved_err_);
    saved_out_ = saved_err_ = -1;
  }
  std::string out() { return read(out_); }
  std::string err() { return read(err_); }

 private:
  static void flush() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(stdout);
    std::fflush(stderr);
  }
  static std::string read(FILE* f) {
    std::string text;
    std::rewind(f);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    return text;
  }
  FILE* out_;
  FILE* err_;
  int saved_out_ = -1, saved_err_ = -1;
};

Result run(const ops::cli::Tool& tool, std::vector<std::string> args, const std::vector<ops::cli::Tool>& peers = {}) {
  args.insert(args.begin(), tool.name);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Result r;
  Capture capture;
  r.rc = ops::cli::run(tool, static_cast<int>(args.size()), argv.data(), peers);
  capture.restore();
  r.out = capture.out();
  r.err = capture.err();
  return r;
}

Result run(std::vector<std::string> args) { return run(fake_tool(), std::move(args)); }

// Every test runs with an empty OPS_CONFIG (never the machine's
// /etc/ops/ops.conf) and none of the fake tool's variables set.
struct CleanEnv {
  TempDir dir;
  EnvGuard config{"OPS_CONFIG", dir.write("empty.conf", "").c_str()};
  EnvGuard name{"OPS_FAKE_NAME", nullptr};
  EnvGuard size{"OPS_FAKE_SIZE", nullptr};
  EnvGuard tag{"OPS_FAKE_TAG", nullptr};
  EnvGuard outcome{"OPS_FAKE_OUTCOME", nullptr};
  EnvGuard quiet{"OPS_FAKE_QUIET", nullptr};
};

#define CHECK_CONTAINS(text, part) CHECK_THAT(text, Catch::Matchers::Contains(part))
#define CHECK_NOT_CONTAINS(text, part) CHECK_THAT(text, !Catch::Matchers::Contains(part))

}  // namespace

TEST_CASE("cli: suggest finds the closest name within two edits") {
  std::vector<std::string> names = {"fs", "du", "db", "record", "forecast"};
  using ops::cli::suggest;
  CHECK(suggest("fz", names) == "fs");
  CHECK(suggest("recrod", names) == "record");
  CHECK(suggest("forcast", names) == "forecast");
  CHECK(suggest("forecats", names) == "forecast");
  CHECK(suggest("fore", names) == "forecast");  // an unambiguous start
  CHECK(suggest("rec", names) == "record");
  CHECK(suggest("dbs", names) == "db");
  CHECK_FALSE(suggest("backup", names));
  CHECK_FALSE(suggest("xyz", names));
  CHECK_FALSE(suggest("", names));    // opsdf "$UNSET": no "did you mean 'du'"
  CHECK_FALSE(suggest("xy", names));  // two letters, both wrong: not a typo of "du"
  CHECK_FALSE(suggest("fz", {}));
}

TEST_CASE("cli: --help and --version exit 0 and print on stdout") {
  CleanEnv env;
  auto r = run({"--help"});
  CHECK(r.rc == 0);
  CHECK_CONTAINS(r.out, "Usage: faketool [OPTIONS] [SUBCOMMAND] [ARGS]");
  CHECK_CONTAINS(r.out, "greet");
  CHECK_CONTAINS(r.out, "check");
  CHECK_CONTAINS(r.out, "--metrics-dir");
  CHECK(r.err.empty());

  r = run({"greet", "--help"});
  CHECK(r.rc == 0);
  CHECK_CONTAINS(r.out, "Usage: faketool greet [OPTIONS] [WHO...]");
  CHECK_CONTAINS(r.out, "--name");
  CHECK_NOT_CONTAINS(r.out, "--outcome");

  r = run({"help", "check"});
  CHECK(r.rc == 0);
  CHECK_CONTAINS(r.out, "--outcome");

  r = run({"-h"});
  CHECK(r.rc == 0);
  CHECK_CONTAINS(r.out, "Usage: faketool");

  r = run({"--version"});
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Matchers::StartsWith("faketool (ops) "));
}

TEST_CASE("cli: bad usage exits 3 with one error line and a hint") {
  CleanEnv env;
  SECTION("unknown option") {
    auto r = run({"greet", "--bogus"});
    CHECK(r.rc == 3);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith("faketool: error: "));
    CHECK_CONTAINS(r.err, "--bogus");
    CHECK_CONTAINS(r.err, "faketool: hint: see 'faketool --help'");
    CHECK(r.out.empty());
  }
  SECTION("an option of another subcommand") {
    auto r = run({"greet", "--outcome", "ok"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "--outcome");
  }
  SECTION("no abbreviations: --nam is not --name") {
    CHECK(run({"greet", "--nam", "x"}).rc == 3);
  }
  SECTION("typo in the subcommand") {
    auto r = run({"gret"});
    CHECK(r.rc == 3);
    CHECK(r.err == "faketool: error: unknown subcommand 'gret'\nfaketool: hint: did you mean 'faketool greet'?\n");
  }
  SECTION("unknown subcommand without a close name") {
    auto r = run({"frobnicate"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "unknown subcommand 'frobnicate'");
    CHECK_NOT_CONTAINS(r.err, "did you mean");
  }
  SECTION("help for an unknown subcommand") {
    auto r = run({"help", "chek"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "unknown subcommand 'chek'");
    CHECK_CONTAINS(r.err, "did you mean 'faketool check'?");
  }
  SECTION("missing subcommand when there is no default") {
    auto r = run({});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "missing subcommand");
  }
  SECTION("too many arguments") {
    auto r = run({"greet", "a", "b", "c"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "unexpected argument 'c'");
    CHECK_CONTAINS(r.err, "usage: faketool greet [WHO...]");
  }
  SECTION("--quiet with --verbose") {
    CHECK(run({"-q", "-v", "check"}).rc == 3);
  }
  SECTION("bad --format") {
    auto r = run({"--format", "yaml", "check"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "'yaml'");
  }
  SECTION("a missing -c file") {
    auto r = run({"-c", (env.dir.path() / "nope.conf").string(), "check"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, "nope.conf");
  }
}

TEST_CASE("cli: options and the subcommand may come in any order") {
  CleanEnv env;
  auto r = run({"--name", "check", "greet", "someone"});  // "check" is --name's value here
  CHECK(r.rc == 0);
  CHECK(r.out == "hello check from --name\narg someone\n");
  r = run({"greet", "--loud", "--name=x", "--", "--not-an-option"});
  CHECK(r.rc == 0);
  CHECK(r.out == "hello x from --name\nLOUD\narg --not-an-option\n");
}

TEST_CASE("cli: a default subcommand takes paths as its arguments") {
  CleanEnv env;
  auto tool = fake_tool("greet");
  auto r = run(tool, {"./dir", "/srv"});
  CHECK(r.rc == 0);
  CHECK(r.out == "hello world from --name\narg ./dir\narg /srv\n");
  r = run(tool, {"--name", "z"});
  CHECK(r.out == "hello z from --name\n");
  CHECK(run(tool, {"chekc"}).rc == 3);  // a word that is not a path is a typo, not an argument
}

TEST_CASE("cli: precedence is command line over environment over config file over default") {
  CleanEnv env;
  const std::string config = env.dir.write("ops.conf", "[other]\nname = elsewhere\n\n[fake]\nname = from-file\n");
  CHECK(run({"greet"}).out == "hello world from --name\n");
  CHECK(run({"-c", config, "greet"}).out == "hello from-file from " + config + ":5 (name)\n");
  {
    EnvGuard name("OPS_FAKE_NAME", "from-env");
    CHECK(run({"-c", config, "greet"}).out == "hello from-env from OPS_FAKE_NAME\n");
    CHECK(run({"-c", config, "greet", "--name", "from-cli"}).out == "hello from-cli from --name\n");
  }
  {
    EnvGuard conf("OPS_CONFIG", config.c_str());  // the file named by OPS_CONFIG
    CHECK(run({"greet"}).out == "hello from-file from " + config + ":5 (name)\n");
  }
}

TEST_CASE("cli: repeatable options - the command line replaces and the file may repeat") {
  CleanEnv env;
  const std::string config = env.dir.write("ops.conf", "[fake]\ntag = one\ntag = two\n");
  CHECK(run({"-c", config, "greet"}).out == "hello world from --name\ntag one\ntag two\n");
  CHECK(run({"-c", config, "greet", "--tag", "cli"}).out == "hello world from --name\ntag cli\n");
  EnvGuard tag("OPS_FAKE_TAG", "env");
  CHECK(run({"-c", config, "greet"}).out == "hello world from --name\ntag env\n");
  CHECK(run({"-c", config, "greet", "--tag", "cli"}).out == "hello world from --name\ntag cli\n");
}

TEST_CASE("cli: config keys are checked against the tool's options") {
  CleanEnv env;
  SECTION("an unknown key names file and line") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nname = x\nnmae = y\n");
    auto r = run({"-c", config, "greet"});
    CHECK(r.rc == 3);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith("faketool: error: " + config + ":3: unknown key 'nmae' in [fake]\n"));
  }
  SECTION("another subcommand's key is fine, and is used by that subcommand") {
    const std::string config = env.dir.write("ops.conf", "[fake]\noutcome = warn-log\n");
    auto r = run({"-c", config, "greet"});
    CHECK(r.rc == 0);
    r = run({"-c", config, "check"});
    CHECK(r.rc == 1);
    CHECK_CONTAINS(r.err, "faketool: warning: /var is 85% full");
  }
  SECTION("common options that only make sense on a command line are refused") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nquiet = true\n");
    auto r = run({"-c", config, "check"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, config + ":2: unknown key 'quiet'");
  }
  SECTION("a key given twice is refused at its second line") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nname = a\n# later\nname = b\n");
    auto r = run({"-c", config, "greet"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, config + ":4: ");
    CHECK_CONTAINS(r.err, "'name'");
  }
  SECTION("an invalid value for a switch") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nloud = maybe\n");
    auto r = run({"-c", config, "greet"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, config + ":2: invalid value 'maybe' for 'loud'");
  }
  SECTION("a switch set in the file") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nloud = true\n");
    CHECK(run({"-c", config, "greet"}).out == "hello world from --name\nLOUD\n");
  }
  SECTION("a switch turned off in the file, or not set at all") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nloud = false\n");
    CHECK(run({"-c", config, "greet"}).out == "hello world from --name\n");
    CHECK(run({"greet"}).out == "hello world from --name\n");
  }
  SECTION("a syntax error in the file") {
    const std::string config = env.dir.write("ops.conf", "[fake\n");
    auto r = run({"-c", config, "greet"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, config + ":1: ");
  }
}

TEST_CASE("cli: typed values name where a bad value came from") {
  CleanEnv env;
  auto r = run({"greet", "--size", "1.5G", "--every", "1h30min", "--top", "7", "--ratio", "0.25"});
  CHECK(r.rc == 0);
  CHECK(r.out == "hello world from --name\nsize 1610612736\nevery 5400s\ntop 7\nratio 0.25\n");

  r = run({"greet", "--size", "10X"});
  CHECK(r.rc == 3);
  CHECK_THAT(r.err, Catch::Matchers::StartsWith("faketool: error: --size: invalid size '10X'"));
  {
    EnvGuard size("OPS_FAKE_SIZE", "10X");
    r = run({"greet"});
    CHECK(r.rc == 3);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith("faketool: error: OPS_FAKE_SIZE: invalid size '10X'"));
  }
  const std::string config = env.dir.write("ops.conf", "[fake]\n\nsize = 10X\n");
  r = run({"-c", config, "greet"});
  CHECK(r.rc == 3);
  CHECK_THAT(r.err, Catch::Matchers::StartsWith("faketool: error: " + config + ":3 (size): invalid size '10X'"));

  CHECK_CONTAINS(run({"greet", "--every", "10"}).err, "--every: invalid duration '10'");
  CHECK_CONTAINS(run({"greet", "--top", "0"}).err, "--top: 0 is out of range (1..100)");
  CHECK_CONTAINS(run({"greet", "--top", "7x"}).err, "--top: invalid integer '7x'");
  CHECK_CONTAINS(run({"greet", "--ratio", ""}).err, "--ratio: invalid number ''");
}

TEST_CASE("cli: the exit status follows the outcome") {
  CleanEnv env;
  SECTION("ok") {
    auto r = run({"check"});
    CHECK(r.rc == 0);
    CHECK(r.out == "checked\n");
    CHECK(r.err.empty());
  }
  SECTION("a critical error: exit 2, one line on stderr, no partial results") {
    auto r = run({"check", "--outcome", "throw-critical"});
    CHECK(r.rc == 2);
    CHECK(r.err == "faketool: error: cannot dump app: pg_dump exited with status 1\n");
    CHECK(r.out.empty());
  }
  SECTION("an unknown error with its hint: exit 3") {
    auto r = run({"check", "--outcome", "throw-unknown"});
    CHECK(r.rc == 3);
    CHECK(r.err == "faketool: error: cannot tell\nfaketool: hint: try harder\n");
  }
  SECTION("an unexpected exception is critical, not a crash") {
    auto r = run({"check", "--outcome", "throw-std"});
    CHECK(r.rc == 2);
    CHECK(r.err == "faketool: error: internal error: vector::at\n");
  }
  SECTION("a returned status") {
    CHECK(run({"check", "--outcome", "return-critical"}).rc == 2);
  }
  SECTION("a warning logged during the run: exit 1") {
    auto r = run({"check", "--outcome", "warn-log"});
    CHECK(r.rc == 1);
    CHECK(r.err == "faketool: warning: /var is 85% full\n");
    CHECK(r.out == "checked\n");
  }
}

TEST_CASE("cli: a warning in one run does not leak into the next") {
  CleanEnv env;
  CHECK(run({"check", "--outcome", "warn-log"}).rc == 1);
  CHECK(run({"check"}).rc == 0);
  CHECK(run({"check", "--outcome", "warn-log"}).rc == 1);
  CHECK(run({"check"}).rc == 0);
}

TEST_CASE("cli: --quiet prints nothing when all is well but does not hide a warning") {
  CleanEnv env;
  auto r = run({"--quiet", "check"});
  CHECK(r.rc == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  r = run({"-q", "check", "--outcome", "warn-log"});
  CHECK(r.rc == 1);
  CHECK(r.out == "checked\n");
  CHECK_CONTAINS(r.err, "warning: /var is 85% full");
  r = run({"-q", "check", "--outcome", "throw-critical"});
  CHECK(r.rc == 2);
  CHECK_CONTAINS(r.err, "error: cannot dump app");
}

TEST_CASE("cli: --lock-file held by another process skips the run with exit 1") {
  CleanEnv env;
  auto lock = (env.dir.path() / "fake.lock").string();
  int to_parent[2], to_child[2];
  REQUIRE(::pipe(to_parent) == 0);
  REQUIRE(::pipe(to_child) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto held = ops::FileLock::try_acquire(lock);
    char c = held ? 'L' : 'F';
    if (::write(to_parent[1], &c, 1) != 1) ::_exit(1);
    if (::read(to_child[0], &c, 1) < 0) ::_exit(1);
    ::_exit(0);
  }
  char c = 0;
  REQUIRE(::read(to_parent[0], &c, 1) == 1);
  REQUIRE(c == 'L');
  auto r = run({"--lock-file", lock, "--metrics-dir", env.dir.path().string(), "check"});
  CHECK(r.rc == 1);
  CHECK(r.out.empty());  // the subcommand did not run
  CHECK_CONTAINS(r.err, "faketool: warning: another faketool run holds " + lock + "; skipping this run");
  CHECK_FALSE(fs::exists(env.dir.path() / "faketool.prom"));  // the holder writes the metrics
  c = 'x';
  REQUIRE(::write(to_child[1], &c, 1) == 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) ::close(fd);
  // Released: the next run goes ahead.
  r = run({"--lock-file", lock, "check"});
  CHECK(r.rc == 0);
  CHECK(r.out == "checked\n");
}

TEST_CASE("cli: --metrics-dir writes <tool>.prom with the exit status and the tool's figures") {
  CleanEnv env;
  auto prom = env.dir.path() / "faketool.prom";
  auto r = run({"--metrics-dir", env.dir.path().string(), "greet"});
  CHECK(r.rc == 0);
  std::string text = slurp(prom);
  CHECK_CONTAINS(text, "\nops_faketool_exit_status 0\n");
  CHECK_CONTAINS(text, "\nops_faketool_greetings 1\n");
  CHECK_CONTAINS(text, "\nops_faketool_last_success_timestamp_seconds ");

  r = run({"--metrics-dir", env.dir.path().string(), "check", "--outcome", "throw-critical"});
  CHECK(r.rc == 2);
  CHECK_CONTAINS(slurp(prom), "\nops_faketool_exit_status 2\n");

  // A missing directory is a usage error found before the job runs (issue 14):
  // a typo must not let the job run and then fail its report.
  r = run({"--metrics-dir", (env.dir.path() / "missing").string(), "greet"});
  CHECK(r.rc == 3);
  CHECK(r.err == "faketool: error: metrics directory " + (env.dir.path() / "missing").string() +
                     ": No such file or directory\n");
  CHECK(r.out.empty());

  // Metrics that cannot be written turn an ok run into a warning.
  std::filesystem::create_directories(env.dir.path() / "blocked" / "faketool.prom");
  r = run({"--metrics-dir", (env.dir.path() / "blocked").string(), "check"});
  CHECK(r.rc == 1);
  CHECK_CONTAINS(r.err, "faketool: warning: ");
  CHECK_CONTAINS(r.err, "faketool.prom");
}

namespace {

// A tool whose options carry checks (ops/value_check.hpp) and whose named
// sections [fake.NAME] are checked by a hook, as opsbackup's and opsarchive's are.
ops::cli::Tool checked_tool(std::vector<std::string>* checked_sections = nullptr) {
  ops::cli::Subcommand use{
      "use", "", "reads --threads",
      [](po::options_description& d) {
        d.add_options()("threads", ops::cli::checked_value(ops::integer_check(1, 8)), "1..8");
      },
      [](Context& ctx) {
        ctx.out << "threads " << ctx.integer("threads", 1, 8).value_or(1) << "\n";
        return Status::ok;
      },
      0, 0};
  ops::cli::Subcommand other{
      "other", "", "never reads --window or --db",
      [](po::options_description& d) {
        d.add_options()
          ("window", ops::cli::checked_value(ops::duration_check(1)), "a duration")
          ("db", ops::cli::checked_list(ops::database_check()), "NAME|DSN");
      },
      [](Context& ctx) {
        ctx.out << "other\n";
        return Status::ok;
      },
      0, 0};
  ops::cli::Tool tool{"checktool", "A tool with checked values.", "fake", {use, other}, ""};
  tool.check_sections = [checked_sections](const ops::Config& config) {
    for (const auto& name : config.named_sections("fake")) {
      if (checked_sections) checked_sections->push_back(name);
      if (name == "bad") ops::fail_usage(config.where(config.section("fake.bad")->line) + ": [fake.bad] is bad");
    }
  };
  return tool;
}

}  // namespace

TEST_CASE("cli: every value of the tool's section is checked when the file is read, whichever subcommand runs") {
  CleanEnv env;
  SECTION("a good file: each subcommand runs") {
    const std::string config =
        env.dir.write("ops.conf", "[db.app]\ndsn = sqlite:///srv/app.db\n[fake]\nthreads = 4\nwindow = 7d\ndb = app\n");
    auto r = run(checked_tool(), {"-c", config, "use"});
    CHECK(r.rc == 0);
    CHECK(r.out == "threads 4\n");
    CHECK(run(checked_tool(), {"-c", config, "other"}).rc == 0);
  }
  SECTION("a key of another subcommand, bad, is refused naming file, line, key and value") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nthreads = 2\nwindow = -1d\n");
    auto r = run(checked_tool(), {"-c", config, "use"});
    CHECK(r.rc == 3);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith("checktool: error: " + config + ":3 (window): invalid duration '-1d'"));
    CHECK(r.out.empty());
  }
  SECTION("a value out of range, of the subcommand that runs and of another") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nthreads = 0\n");
    CHECK(run(checked_tool(), {"-c", config, "other"}).err ==
          "checktool: error: " + config + ":2 (threads): invalid value '0' (expected a whole number from 1 to 8)\n");
  }
  SECTION("a database that is neither a DSN nor a [db.NAME], in a repeatable key") {
    const std::string config = env.dir.write("ops.conf", "[db.app]\ndsn = sqlite:///a.db\n[fake]\ndb = app\ndb = ap\n");
    auto r = run(checked_tool(), {"-c", config, "use"});
    CHECK(r.rc == 3);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith("checktool: error: " + config +
                                                  ":5 (db): unknown database 'ap': not a DSN and no [db.ap] section\n"));
  }
  SECTION("a common option's value in the file") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nformat = yaml\n");
    CHECK_THAT(run(checked_tool(), {"-c", config, "use"}).err,
               Catch::Matchers::StartsWith("checktool: error: " + config + ":2 (format): invalid format 'yaml'"));
    const std::string lock = env.dir.write("lock.conf", "[fake]\nlock_file = " + env.dir.str() + "/nodir/l\n");
    auto r = run(checked_tool(), {"-c", lock, "use"});
    CHECK(r.rc == 3);
    CHECK_CONTAINS(r.err, lock + ":2 (lock_file): cannot use '" + env.dir.str() + "/nodir/l'");
  }
  SECTION("the command line and the environment are checked too, naming the option or variable") {
    CHECK(run(checked_tool(), {"use", "--threads", "9"}).err ==
          "checktool: error: --threads: invalid value '9' (expected a whole number from 1 to 8)\n");
    EnvGuard window("OPS_FAKE_WINDOW", "0s");
    CHECK(run(checked_tool(), {"other"}).err == "checktool: error: OPS_FAKE_WINDOW: invalid duration '0s': must be at least 1s\n");
  }
  SECTION("--lock-file naming a directory is bad usage before the run") {
    auto r = run(checked_tool(), {"--lock-file", env.dir.str(), "use"});
    CHECK(r.rc == 3);
    CHECK(r.err == "checktool: error: --lock-file: '" + env.dir.str() + "' is a directory, not a regular file\n");
    CHECK(r.out.empty());
  }
}

TEST_CASE("cli: the tool's named sections are checked when the file is read") {
  CleanEnv env;
  std::vector<std::string> seen;
  const std::string good = env.dir.write("ops.conf", "[fake.one]\n[fake.two]\n");
  CHECK(run(checked_tool(&seen), {"-c", good, "use"}).rc == 0);
  CHECK(seen == std::vector<std::string>{"one", "two"});
  const std::string bad = env.dir.write("bad.conf", "[fake.one]\n\n[fake.bad]\n");
  auto r = run(checked_tool(), {"-c", bad, "other"});
  CHECK(r.rc == 3);
  CHECK(r.err == "checktool: error: " + bad + ":3: [fake.bad] is bad\n");
}

TEST_CASE("cli: a refusal names its culprit") {
  CleanEnv env;
  SECTION("an unknown option where the subcommand was expected") {
    CHECK(run({"--bogus"}).err == "faketool: error: unknown option '--bogus'\nfaketool: hint: see 'faketool --help'\n");
    CHECK_CONTAINS(run({"--bogus=3"}).err, "unknown option '--bogus'");
    CHECK_CONTAINS(run({"-Z"}).err, "unknown option '-Z'");
    CHECK_CONTAINS(run({"-q"}).err, "missing subcommand");  // a known option: the subcommand is what is missing
  }
  SECTION("a file name for a default subcommand is its argument, not an unknown subcommand") {
    auto r = run(fake_tool("greet"), {"missing.conf"});
    CHECK(r.rc == 0);
    CHECK(r.out == "hello world from --name\narg missing.conf\n");
    CHECK_CONTAINS(run(fake_tool("greet"), {"gret"}).err, "unknown subcommand 'gret'");
  }
  SECTION("a word no subcommand is near, for a default subcommand that needs arguments") {
    ops::cli::Tool tool = fake_tool("greet");
    tool.subcommands[0].min_args = 1;
    CHECK(run(tool, {"missing"}).out == "hello world from --name\narg missing\n");
    CHECK_CONTAINS(run(tool, {"chek"}).err, "did you mean 'faketool check'?");
  }
}

TEST_CASE("cli: every tool checks the sections the other tools of the suite read") {
  CleanEnv env;
  ops::cli::Tool peer = checked_tool();
  peer.name = "peertool";
  peer.config_section = "peer";
  const std::vector<ops::cli::Tool> suite{fake_tool(), peer};
  SECTION("a good file") {
    const std::string config = env.dir.write("ops.conf", "[fake]\nname = x\n[peer]\nthreads = 2\n[health]\nany = thing\n");
    CHECK(run(fake_tool(), {"-c", config, "greet"}, suite).out == "hello x from " + config + ":2 (name)\n");
  }
  SECTION("a bad value of the other tool's section") {
    const std::string config = env.dir.write("ops.conf", "[peer]\nthreads = 0\n");
    CHECK(run(fake_tool(), {"-c", config, "greet"}, suite).err ==
          "faketool: error: " + config + ":2 (threads): invalid value '0' (expected a whole number from 1 to 8)\n");
  }
  SECTION("an unknown key of the other tool's section names that tool") {
    const std::string config = env.dir.write("ops.conf", "[peer]\nthredas = 2\n");
    auto r = run(fake_tool(), {"-c", config, "greet"}, suite);
    CHECK(r.rc == 3);
    CHECK(r.err == "faketool: error: " + config + ":2: unknown key 'thredas' in [peer]\n"
                   "faketool: hint: the keys of [peer] are the long options of peertool (see peertool --help)\n");
  }
  SECTION("the other tool's named sections") {
    const std::string config = env.dir.write("ops.conf", "[fake.bad]\n");
    CHECK(run(fake_tool(), {"-c", config, "greet"}, suite).err == "faketool: error: " + config + ":1: [fake.bad] is bad\n");
  }
}

TEST_CASE("cli: setting_of finds another tool's option as that tool would") {
  const auto config = ops::Config::parse("/etc/ops/ops.conf", "[backup]\ndir = /backups\nkeep_daily = 7\n[df]\ntop = 5\n");
  EnvGuard no_dir("OPS_BACKUP_DIR", nullptr);
  EnvGuard no_keep("OPS_BACKUP_KEEP_DAILY", nullptr);
  CHECK(ops::cli::setting_of(config, "backup", "dir") == "/backups");
  CHECK(ops::cli::setting_of(config, "backup", "keep-daily") == "7");  // the key is spelled with '_'
  CHECK(ops::cli::setting_of(config, "backup", "top") == std::nullopt);  // [df]'s, not [backup]'s
  CHECK(ops::cli::setting_of(ops::Config{}, "backup", "dir") == std::nullopt);
  SECTION("the environment wins over the file, even empty, as for the tool itself") {
    EnvGuard dir("OPS_BACKUP_DIR", "/elsewhere");
    CHECK(ops::cli::setting_of(config, "backup", "dir") == "/elsewhere");
    EnvGuard empty("OPS_BACKUP_DIR", "");
    CHECK(ops::cli::setting_of(config, "backup", "dir") == "");
  }
}
