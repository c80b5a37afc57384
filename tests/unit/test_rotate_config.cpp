// opsrotate's reader of logrotate configurations: every directive's effect,
// how global settings flow into blocks, include, scripts, and the exact
// message of each error. The expected behaviour was settled by running
// logrotate 3.21 (`logrotate -d`) on the same text.
#include "opsrotate/config/config_parser.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support.hpp"

#include <filesystem>
#include <string>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace {

using opsrotate::Frequency;
using opsrotate::LogConfig;
using opsrotate::ParseOptions;
using opsrotate::RotateConfig;
using ops::test::EnvGuard;
using ops::test::TempDir;

const ParseOptions hermetic{.allow_include = false, .check_accounts = false};

// Every error of config, one a line, for a failed check.
std::string errors_of(const RotateConfig& config) {
  std::string out;
  for (const auto& e : config.errors) out += e.message + "\n";
  return out;
}

// `text` read as test.conf, with every error kept.
RotateConfig read(const std::string& text, const ParseOptions& options = {}) {
  return opsrotate::parse_config_text(text, "test.conf", options);
}

// `text`, which must read without an error.
RotateConfig parse(const std::string& text, const ParseOptions& options = {}) {
  RotateConfig config = read(text, options);
  INFO(errors_of(config));
  REQUIRE(config.errors.empty());
  return config;
}

// The one block of `text`.
LogConfig one(const std::string& text) {
  RotateConfig config = parse(text);
  REQUIRE(config.logs.size() == 1);
  return config.logs[0];
}

// The block `directives` makes, in a block of its own.
LogConfig with(const std::string& directives) { return one("/var/log/app.log {\n" + directives + "\n}\n"); }

struct Failure {
  std::string message;
  std::string hint;
};

// The first error of `text`.
Failure failure_of(const std::string& text, const ParseOptions& options = {}) {
  RotateConfig config = read(text, options);
  if (config.errors.empty()) FAIL("accepted:\n" << text);
  CHECK_FALSE(config.errors.front().skipping);
  return {config.errors.front().message, config.errors.front().hint};
}

std::string error_of(const std::string& text, const ParseOptions& options = {}) {
  return failure_of(text, options).message;
}

// The block in `config` whose first pattern is `pattern`.
const LogConfig& log_named(const RotateConfig& config, const std::string& pattern) {
  for (const auto& log : config.logs)
    if (!log.patterns.empty() && log.patterns[0] == pattern) return log;
  FAIL("no block for " << pattern);
  throw std::logic_error("not reached");
}

}  // namespace

TEST_CASE("rotate config: a bare block has logrotate's defaults") {
  LogConfig log = one("# comment\n\n/var/log/app.log {\n}\n");
  CHECK(log.file == "test.conf");
  CHECK(log.line == 3);
  CHECK(log.patterns == std::vector<std::string>{"/var/log/app.log"});
  CHECK(log.frequency == Frequency::size);
  CHECK(log.size == 1024 * 1024);
  CHECK(log.weekday == 0);
  CHECK_FALSE(log.minsize);
  CHECK_FALSE(log.maxsize);
  CHECK_FALSE(log.minage);
  CHECK_FALSE(log.maxage);
  CHECK(log.rotate == 0);
  CHECK(log.start == 1);
  CHECK_FALSE(log.dateext);
  CHECK(log.dateformat.empty());
  CHECK_FALSE(log.compress);
  CHECK(log.compresscmd.empty());
  CHECK(log.compressoptions.empty());
  CHECK_FALSE(log.compressoptions_set);
  CHECK_FALSE(log.create);
  CHECK_FALSE(log.createolddir);
  CHECK(log.olddir.empty());
  CHECK_FALSE(log.su);
  CHECK_FALSE(log.missingok);
  CHECK(log.ifempty);
  CHECK(log.shredcycles == 3);
  CHECK(log.mail.empty());
  CHECK(log.scripts.postrotate.empty());
  CHECK_FALSE(log.sharedscripts);
}

TEST_CASE("rotate config: frequency is the last criterion given") {
  CHECK(with("hourly").frequency == Frequency::hourly);
  CHECK(with("daily").frequency == Frequency::daily);
  CHECK(with("monthly").frequency == Frequency::monthly);
  CHECK(with("yearly").frequency == Frequency::yearly);
  LogConfig weekly = with("weekly");
  CHECK(weekly.frequency == Frequency::weekly);
  CHECK(weekly.weekday == 0);
  CHECK(with("weekly 3").weekday == 3);
  CHECK(with("weekly 7").weekday == 7);
  CHECK(with("weekly   5  ").weekday == 5);
  CHECK(with("weekly 07").weekday == 7);  // decimal, as logrotate reads it
  CHECK(with("weekly +3").weekday == 3);
  LogConfig size = with("daily\nsize 100k");
  CHECK(size.frequency == Frequency::size);
  CHECK(size.size == 100 * 1024);
  LogConfig daily = with("size 100k\ndaily");
  CHECK(daily.frequency == Frequency::daily);
  CHECK(daily.size == 100 * 1024);  // kept, unused
  CHECK(with("weekly 2\ndaily\nweekly").weekday == 0);
}

TEST_CASE("rotate config: sizes in bytes, k/K, M and G, numbers as strtoul reads them") {
  CHECK(with("size 100").size == 100);
  CHECK(with("size 100k").size == 102400);
  CHECK(with("size 100K").size == 102400);
  CHECK(with("size 100M").size == 100ull * 1024 * 1024);
  CHECK(with("size 2G").size == 2ull * 1024 * 1024 * 1024);
  CHECK(with("size 0x10k").size == 16 * 1024);  // base 0, like logrotate
  CHECK(with("size +5").size == 5);
  CHECK(with("size = 10").size == 10);
  CHECK(with("size=10k").size == 10240);
  CHECK(with("minsize 1M").minsize == 1024u * 1024);
  CHECK(with("maxsize 500M").maxsize == 500ull * 1024 * 1024);
  CHECK(with("minsize 1M").frequency == Frequency::size);  // not a criterion of its own
  CHECK(with("rotate 010").rotate == 8);                 // octal, as logrotate
  CHECK(with("rotate 0x10").rotate == 16);
  CHECK(with("rotate +3").rotate == 3);
  CHECK(with("rotate -1").rotate == -1);
  CHECK(with("rotate\t4\t").rotate == 4);
  CHECK(with("rotate = 7").rotate == 7);
  CHECK(with("rotate=7").rotate == 7);
  CHECK(with("start 0").start == 0);
  CHECK(with("start 9").start == 9);
  CHECK(with("minage 3").minage == 3);
  CHECK(with("maxage 0").maxage == 0);
  CHECK(with("maxage 30").maxage == 30);
  CHECK(with("shredcycles 0").shredcycles == 0);
  CHECK(with("shredcycles 5").shredcycles == 5);
}

TEST_CASE("rotate config: names, olddir and dates") {
  LogConfig log = with(
      "dateext\ndateformat -%Y-%m-%d_%H:%M:%S.%V\ndateyesterday\ndatehourago\n"
      "extension .log\naddextension .txt\nolddir /var/log/old\ncreateolddir 0750 root adm");
  CHECK(log.dateext);
  CHECK(log.dateformat == "-%Y-%m-%d_%H:%M:%S.%V");
  CHECK(with("dateformat -%s").dateformat == "-%s");  // all of them are too long for logrotate
  CHECK(log.dateyesterday);
  CHECK(log.datehourago);
  CHECK(log.extension == ".log");
  CHECK(log.addextension == ".txt");
  CHECK(log.olddir == "/var/log/old");
  REQUIRE(log.createolddir);
  CHECK(log.createolddir->mode == mode_t{0750});
  CHECK(log.createolddir->owner == "root");
  CHECK(log.createolddir->group == "adm");
  CHECK(with("dateformat -%Y %m").dateformat == "-%Y %m");  // the rest of the line, blanks and all
  CHECK(with("extension .log x").extension == ".log x");
  CHECK_FALSE(with("dateext\nnodateext").dateext);
  CHECK(with("olddir old\nnoolddir").olddir.empty());
  CHECK_FALSE(with("createolddir\nnocreateolddir").createolddir);
  LogConfig bare = with("createolddir");
  REQUIRE(bare.createolddir);
  CHECK_FALSE(bare.createolddir->mode);
  CHECK_FALSE(bare.createolddir->owner);
}

TEST_CASE("rotate config: a compresscmd logrotate knows sets the extension where it is read") {
  CHECK(with("compresscmd /usr/bin/compress").compressext == ".Z");
  CHECK(with("compresscmd bzip2").compressext == ".bz2");
  // A compressext before it is replaced, one after it wins.
  CHECK(with("compressext .foo\ncompresscmd /usr/bin/xz").compressext == ".xz");
  CHECK(with("compresscmd /usr/bin/xz\ncompressext .foo").compressext == ".foo");
  // Any other program keeps the extension in force (".gz" by default).
  CHECK(with("compressext .foo\ncompresscmd /usr/local/bin/squash").compressext == ".foo");
  CHECK(with("compresscmd /usr/local/bin/squash").compressext.empty());
}

TEST_CASE("rotate config: olddir ~/DIR is under $HOME") {
  ops::test::EnvGuard home("HOME", "/home/ops");
  CHECK(with("olddir ~/old").olddir == "/home/ops/old");
  CHECK(with("olddir old~").olddir == "old~");
}

TEST_CASE("rotate config: a criterion that replaces another in its block is noted, as logrotate notes it") {
  std::string copied;
  ops::log::set_copy([&](std::string_view line) { copied += line; });
  LogConfig log = with("size 2\ndaily");
  LogConfig alone = with("weekly");
  ops::log::set_copy({});
  CHECK(log.frequency == Frequency::daily);
  CHECK(alone.frequency == Frequency::weekly);
  CHECK(copied.find(":3: note: 'daily' overrides previously specified 'size'") != std::string::npos);
  CHECK(copied.find("overrides previously specified") == copied.rfind("overrides previously specified"));
}

TEST_CASE("rotate config: compression") {
  LogConfig log = with(
      "compress\ndelaycompress\ncompresscmd /usr/bin/xz\nuncompresscmd /usr/bin/unxz\n"
      "compressext .xz\ncompressoptions -9 --threads=2");
  CHECK(log.compress);
  CHECK(log.delaycompress);
  CHECK(log.compresscmd == "/usr/bin/xz");
  CHECK(log.uncompresscmd == "/usr/bin/unxz");
  CHECK(log.compressext == ".xz");
  CHECK(log.compressoptions == "-9 --threads=2");
  CHECK(log.compressoptions_set);
  CHECK_FALSE(with("compress\nnocompress").compress);
  CHECK_FALSE(with("delaycompress\nnodelaycompress").delaycompress);
  // compresscmd keeps options given before it (logrotate passes them on).
  LogConfig before = with("compressoptions -3\ncompresscmd /usr/bin/zstd");
  CHECK(before.compressoptions == "-3");
  CHECK(before.compressoptions_set);
  LogConfig plain = with("compresscmd /usr/bin/zstd");
  CHECK(plain.compressoptions.empty());
  CHECK_FALSE(plain.compressoptions_set);
}

TEST_CASE("rotate config: create, copy, shred, su and the file selection flags") {
  LogConfig log = with("create 0640 root adm");
  REQUIRE(log.create);
  CHECK(log.create->mode == mode_t{0640});
  CHECK(log.create->owner == "root");
  CHECK(log.create->group == "adm");
  CHECK(with("create 640").create->mode == mode_t{0640});  // octal without the 0
  LogConfig owner_only = with("create root");
  CHECK_FALSE(owner_only.create->mode);
  CHECK(owner_only.create->owner == "root");
  CHECK_FALSE(owner_only.create->group);
  LogConfig owner_group = with("create root adm");
  CHECK(owner_group.create->owner == "root");
  CHECK(owner_group.create->group == "adm");
  LogConfig bare = with("create");
  REQUIRE(bare.create);
  CHECK_FALSE(bare.create->mode);
  CHECK(with("create 0 0 0").create->owner == "0");  // numeric ids that exist
  CHECK_FALSE(with("create\nnocreate").create);

  CHECK(with("copy").copy);
  CHECK_FALSE(with("copy\nnocopy").copy);
  CHECK(with("copytruncate").copytruncate);
  CHECK_FALSE(with("copytruncate\nnocopytruncate").copytruncate);
  LogConfig renamecopy = with("copytruncate\nrenamecopy");  // each turns the other off
  CHECK(renamecopy.renamecopy);
  CHECK_FALSE(renamecopy.copytruncate);
  LogConfig copytruncate = with("renamecopy\ncopytruncate");
  CHECK(copytruncate.copytruncate);
  CHECK_FALSE(copytruncate.renamecopy);
  CHECK_FALSE(with("renamecopy\nnorenamecopy").renamecopy);
  CHECK(with("shred").shred);
  CHECK_FALSE(with("shred\nnoshred").shred);

  REQUIRE(with("su root adm").su);
  CHECK(with("su root adm").su == std::pair<std::string, std::string>{"root", "adm"});

  CHECK(with("missingok").missingok);
  CHECK_FALSE(with("missingok\nnomissingok").missingok);
  CHECK_FALSE(with("notifempty").ifempty);
  CHECK(with("notifempty\nifempty").ifempty);
  CHECK(with("allowhardlink").allowhardlink);
  CHECK_FALSE(with("allowhardlink\nnoallowhardlink").allowhardlink);
  CHECK(with("ignoreduplicates").ignoreduplicates);
  CHECK(with("sharedscripts").sharedscripts);
  CHECK_FALSE(with("sharedscripts\nnosharedscripts").sharedscripts);
}

TEST_CASE("rotate config: mail") {
  LogConfig log = with("mail ops@example.org\nmailfirst");
  CHECK(log.mail == "ops@example.org");
  CHECK(log.mailfirst);
  CHECK_FALSE(with("mailfirst\nmaillast").mailfirst);
  CHECK(with("mail = ops@example.org\nnomail").mail.empty());
}

TEST_CASE("rotate config: blocks start from the globals in force at their '{' and leak nothing") {
  RotateConfig config = parse(
      "weekly\nrotate 4\ncreate\ncompress\n"
      "/var/log/a.log {\n  daily\n  rotate 2\n  nocompress\n  missingok\n  postrotate\n    echo a\n  endscript\n}\n"
      "/var/log/b.log {\n}\n"
      "rotate 9\nnocreate\n"
      "/var/log/c.log {\n}\n");
  REQUIRE(config.logs.size() == 3);
  const LogConfig& a = config.logs[0];
  CHECK(a.frequency == Frequency::daily);
  CHECK(a.rotate == 2);
  CHECK_FALSE(a.compress);
  CHECK(a.missingok);
  CHECK(a.create);
  CHECK(a.scripts.postrotate == "    echo a");
  const LogConfig& b = config.logs[1];
  CHECK(b.patterns[0] == "/var/log/b.log");
  CHECK(b.frequency == Frequency::weekly);
  CHECK(b.rotate == 4);
  CHECK(b.compress);
  CHECK_FALSE(b.missingok);
  CHECK(b.scripts.postrotate.empty());
  const LogConfig& c = config.logs[2];
  CHECK(c.rotate == 9);  // globals after a block count for the blocks after them only
  CHECK_FALSE(c.create);
  CHECK(c.compress);
  CHECK(c.line == 18);
}

TEST_CASE("rotate config: global scripts are inherited, as logrotate runs them") {
  RotateConfig config = parse(
      "postrotate\n  kill -HUP 1\nendscript\n"
      "/var/log/a.log {\n}\n"
      "/var/log/b.log {\n  postrotate\n    true\n  endscript\n}\n");
  REQUIRE(config.logs.size() == 2);
  CHECK(config.logs[0].scripts.postrotate == "  kill -HUP 1");
  CHECK(config.logs[1].scripts.postrotate == "    true");
}

TEST_CASE("rotate config: what logrotate allows on one line") {
  LogConfig flags = with("compress daily missingok # a comment after flags");
  CHECK(flags.compress);
  CHECK(flags.frequency == Frequency::daily);
  CHECK(flags.missingok);
  LogConfig same_line = one("/var/log/a.log { rotate 5\n}\n");
  CHECK(same_line.rotate == 5);
  LogConfig one_line = one("/var/log/a.log { daily }\n");
  CHECK(one_line.frequency == Frequency::daily);
  LogConfig flag_brace = one("/var/log/a.log {\n  compress }\n");
  CHECK(flag_brace.compress);
  CHECK(with("compress=").compress);
  LogConfig pattern_after_flag = one("daily /var/log/a.log {\n}\n");  // logrotate takes it
  CHECK(pattern_after_flag.frequency == Frequency::daily);
  CHECK(pattern_after_flag.patterns[0] == "/var/log/a.log");
}

TEST_CASE("rotate config: patterns, quoted and spread over lines") {
  LogConfig quoted = one("\"/var/log/with space.log\" '/var/log/b c.log' /var/log/d\\ e.log /var/log/*.log {\n}\n");
  CHECK(quoted.patterns ==
        std::vector<std::string>{"/var/log/with space.log", "/var/log/b c.log", "/var/log/d e.log", "/var/log/*.log"});
  // As popt splits them for logrotate: inside quotes a backslash escapes only the quote.
  CHECK(one("\"/x/a\\\"b\" '/x/c\\'d' \"/x/e\\\\f\" /x/g\\\\h {\n}\n").patterns ==
        std::vector<std::string>{"/x/a\"b", "/x/c'd", "/x/e\\\\f", "/x/g\\h"});
  CHECK(one("/x/a\"b c\".log {\n}\n").patterns == std::vector<std::string>{"/x/ab c.log"});
  CHECK(one("~/logs/*.log {\n}\n").patterns == std::vector<std::string>{"~/logs/*.log"});
  LogConfig next_line = one("/var/log/a.log\n/var/log/b.log\n\n# the brace comes later\n{\n  rotate 3\n}\n");
  CHECK(next_line.patterns == std::vector<std::string>{"/var/log/a.log", "/var/log/b.log"});
  CHECK(next_line.rotate == 3);
  CHECK(next_line.line == 1);
  CHECK(one("/var/log/a.log{\n}\n").patterns == std::vector<std::string>{"/var/log/a.log"});
}

TEST_CASE("rotate config: scripts keep their text, braces and all") {
  LogConfig log = with(
      "  postrotate\n"
      "    if [ -f /run/app.pid ]; then { kill -HUP $(cat /run/app.pid); }; fi\n"
      "    echo endscript is just a word here\n"
      "    endscripts\n"
      "\n"
      "    # endscript in a comment\n"
      "  endscript\n"
      "  prerotate test -d /var/log/app\n"
      "    echo pre\n"
      "\tendscript\t\n"
      "  firstaction\n"
      "endscript\n"
      "  lastaction\n"
      "    }\n"
      "  endscript\n"
      "  preremove\n"
      "    rm -f \"$1.idx\"\n"
      "  endscript");
  CHECK(log.scripts.postrotate ==
        "    if [ -f /run/app.pid ]; then { kill -HUP $(cat /run/app.pid); }; fi\n"
        "    echo endscript is just a word here\n"
        "    endscripts\n"
        "\n"
        "    # endscript in a comment");
  CHECK(log.scripts.prerotate == "test -d /var/log/app\n    echo pre");
  CHECK(log.scripts.firstaction.empty());
  CHECK(log.scripts.lastaction == "    }");
  CHECK(log.scripts.preremove == "    rm -f \"$1.idx\"");
}

TEST_CASE("rotate config: directives may follow endscript on its line, as in logrotate") {
  LogConfig closes = one("/var/log/a.log {\n  postrotate\n    true\n  endscript }\n");
  CHECK(closes.scripts.postrotate == "    true");
  LogConfig more = one("/var/log/a.log {\n  postrotate\n    true\n  endscript rotate 4\n}\n");
  CHECK(more.rotate == 4);
  CHECK(with("postrotate\n  true\nendscript # done").scripts.postrotate == "  true");
}

TEST_CASE("rotate config: several files carry settings from one to the next") {
  TempDir dir;
  auto first = dir.write("first.conf", "weekly\nrotate 4\n/var/log/a.log {\n  daily\n}\n");
  auto second = dir.write("second.conf", "/var/log/b.log {\n}\ncompress\n");
  auto third = dir.write("third.conf", "/var/log/c.log {\n  rotate 1\n}\n");
  RotateConfig config = opsrotate::parse_config_files({first.string(), second.string(), third.string()});
  REQUIRE(config.errors.empty());
  REQUIRE(config.logs.size() == 3);
  CHECK(config.logs[0].file == first.string());
  CHECK(config.logs[0].frequency == Frequency::daily);
  CHECK(config.logs[1].file == second.string());
  CHECK(config.logs[1].frequency == Frequency::weekly);
  CHECK(config.logs[1].rotate == 4);
  CHECK_FALSE(config.logs[1].compress);
  CHECK(config.logs[2].compress);
  CHECK(config.logs[2].rotate == 1);
  CHECK(config.logs[2].frequency == Frequency::weekly);
}

TEST_CASE("rotate config: include of a directory reads its files sorted, skipping taboo names") {
  TempDir dir;
  fs::create_directory(dir.path() / "d");
  for (std::string name : {"b", "a", "c.dpkg-old", "d~", "e.swp", "f,v", "g.rhn-cfg-tmp-xyz", "h.disabled",
                           "i.rpmsave", "j.ucf-dist", "k.foo", "l.bar"})
    dir.write("d/" + name, "/var/log/" + name + ".log {\n}\n");
  fs::create_directory(dir.path() / "d" / "sub");  // not a regular file: skipped
  dir.write("d/sub/s", "/var/log/sub.log {\n}\n");
  fs::create_symlink("a", dir.path() / "d" / "m-link");  // followed
  auto patterns = [](const RotateConfig& config) {
    std::vector<std::string> out;
    for (const auto& log : config.logs) out.push_back(log.patterns.at(0));
    return out;
  };
  std::string include = "include " + (dir.path() / "d").string() + "\n";
  CHECK(patterns(parse(include)) == std::vector<std::string>{"/var/log/a.log", "/var/log/b.log", "/var/log/k.foo.log",
                                                             "/var/log/l.bar.log", "/var/log/a.log"});
  CHECK(patterns(parse("tabooext + .foo, .bar\n" + include)) ==
        std::vector<std::string>{"/var/log/a.log", "/var/log/b.log", "/var/log/a.log"});
  CHECK(patterns(parse("tabooext +.foo\n" + include)) ==
        std::vector<std::string>{"/var/log/a.log", "/var/log/b.log", "/var/log/l.bar.log", "/var/log/a.log"});
  // Replacing the list lets the default taboo names in.
  CHECK(patterns(parse("tabooext .foo\n" + include)).size() == 12);
  CHECK(patterns(parse("taboopat + [ab] m-*\n" + include)) ==
        std::vector<std::string>{"/var/log/k.foo.log", "/var/log/l.bar.log"});
  CHECK(patterns(parse("taboopat = *\n" + include)).empty());
  // The same directory given as a configuration, as on logrotate's command line.
  CHECK(patterns(opsrotate::parse_config_files({(dir.path() / "d").string()})).size() == 5);
}

TEST_CASE("rotate config: an included file is read where the include is") {
  TempDir dir;
  auto globals = dir.write("globals", "compress\nrotate 3\n");
  auto body = dir.write("body", "rotate 9\nmissingok\n");
  RotateConfig config = parse("/var/log/a.log {\n}\ninclude " + globals.string() +
                              "\n/var/log/b.log {\n  include " + body.string() + "\n  daily\n}\n/var/log/c.log {\n}\n");
  REQUIRE(config.logs.size() == 3);
  CHECK_FALSE(config.logs[0].compress);  // global options do not affect what came before
  CHECK(config.logs[1].compress);
  CHECK(config.logs[1].rotate == 9);  // inside a block, the included directives apply to it
  CHECK(config.logs[1].missingok);
  CHECK(config.logs[1].frequency == Frequency::daily);
  CHECK(config.logs[2].rotate == 3);
  CHECK_FALSE(config.logs[2].missingok);
  // The same file twice is not a loop.
  CHECK(parse("include " + globals.string() + "\ninclude " + globals.string() + "\n").logs.empty());
}

TEST_CASE("rotate config: include ~/ is relative to the home directory") {
  TempDir dir;
  dir.write("extra.conf", "/var/log/home.log {\n}\n");
  EnvGuard home("HOME", dir.str().c_str());
  CHECK(parse("include ~/extra.conf\n").logs.at(0).patterns[0] == "/var/log/home.log");
}

TEST_CASE("rotate config: Debian's own /etc/logrotate.conf and /etc/logrotate.d") {
  RotateConfig config = opsrotate::parse_config_files({"/etc/logrotate.conf"});
  INFO(errors_of(config));
  REQUIRE(config.errors.empty());
  REQUIRE(config.logs.size() >= 5);
  const LogConfig& btmp = log_named(config, "/var/log/btmp");
  CHECK(btmp.file == "/etc/logrotate.d/btmp");
  CHECK(btmp.missingok);
  CHECK(btmp.frequency == Frequency::monthly);
  CHECK(btmp.rotate == 1);
  REQUIRE(btmp.create);
  CHECK(btmp.create->mode == mode_t{0660});
  CHECK(btmp.create->owner == "root");
  CHECK(btmp.create->group == "utmp");
  const LogConfig& wtmp = log_named(config, "/var/log/wtmp");
  CHECK(wtmp.minsize == 1024u * 1024);
  const LogConfig& dpkg = log_named(config, "/var/log/dpkg.log");
  CHECK(dpkg.compress);
  CHECK(dpkg.delaycompress);
  CHECK_FALSE(dpkg.ifempty);
  CHECK(dpkg.rotate == 12);
  CHECK(dpkg.create->mode == mode_t{0644});
  const LogConfig& term = log_named(config, "/var/log/apt/term.log");
  CHECK(term.frequency == Frequency::monthly);
  REQUIRE(term.create);  // the global `create` of /etc/logrotate.conf
  CHECK_FALSE(term.create->mode);
  CHECK_FALSE(term.compressoptions_set);
  if (fs::exists("/etc/logrotate.d/postgresql-common")) {
    const LogConfig& pg = log_named(config, "/var/log/postgresql/*.log");
    CHECK(pg.frequency == Frequency::weekly);
    CHECK(pg.rotate == 10);
    CHECK(pg.copytruncate);
    CHECK(pg.su == std::pair<std::string, std::string>{"root", "root"});
  }
  if (fs::exists("/etc/logrotate.d/mariadb")) {
    const LogConfig& maria = log_named(config, "/var/lib/mysql/mysqld.log");
    CHECK(maria.patterns.size() == 3);
    CHECK(maria.minsize == 50u * 1024 * 1024);
    CHECK(maria.maxsize == 500u * 1024 * 1024);
    CHECK(maria.sharedscripts);
    CHECK(maria.scripts.postrotate.find("flush-error-log") != std::string::npos);
  }
}

TEST_CASE("rotate config: unknown directives, with a suggestion") {
  Failure typo = failure_of("/var/log/a.log {\n  rotat 4\n}\n");
  CHECK(typo.message == "test.conf:2: unknown directive 'rotat'");
  CHECK(typo.hint == "did you mean 'rotate'?");
  Failure upper = failure_of("/var/log/a.log {\n  DAILY\n}\n");
  CHECK(upper.message == "test.conf:2: unknown directive 'DAILY'");
  CHECK(upper.hint == "directives are lowercase: 'daily'");
  CHECK(failure_of("nomissingk\n").hint == "did you mean 'nomissingok'?");
  CHECK(error_of("frobnicate\n") == "test.conf:1: unknown directive 'frobnicate'");
  Failure errors = failure_of("errors root@example.org\n");
  CHECK(errors.message == "test.conf:1: unknown directive 'errors'");
  CHECK(errors.hint.find("ignores 'errors'") != std::string::npos);
  for (const char* no : {"noifempty", "nodateyesterday", "nodatehourago", "noignoreduplicates", "nomailfirst", "nosu"})
    CHECK(error_of(std::string(no) + "\n") == fmt::format("test.conf:1: unknown directive '{}'", no));
  Failure glued = failure_of("daily;\n");
  CHECK(glued.message == "test.conf:1: unknown directive 'daily;'");
  CHECK(glued.hint == "put a blank after 'daily'");
  CHECK(error_of("/var/log/a.log {\n  daily}\n") == "test.conf:2: unknown directive 'daily}'");
  CHECK(error_of("a.log {\n}\n") == "test.conf:1: unknown directive 'a.log'");
  Failure relative = failure_of("*.log {\n}\n");
  CHECK(relative.message == "test.conf:1: expected a directive or a log file pattern, not '*.log'");
  CHECK(relative.hint == "a log file pattern starts with '/', '~' or a quote, e.g. /var/log/app/*.log");
  CHECK(error_of("endscript\n") == "test.conf:1: 'endscript' without a script");
}

TEST_CASE("rotate config: bad numbers, sizes, modes and weekdays") {
  CHECK(error_of("rotate 2x\n") == "test.conf:1: bad number for rotate '2x'");
  Failure negative = failure_of("rotate -2\n");
  CHECK(negative.message == "test.conf:1: number out of range for rotate '-2'");
  CHECK(negative.hint == "rotate takes a whole number >= -1 (-1 keeps every old log)");
  CHECK(error_of("rotate 99999999999\n") == "test.conf:1: number out of range for rotate '99999999999'");
  CHECK(error_of("rotate 99999999999999999999999\n") ==
        "test.conf:1: number out of range for rotate '99999999999999999999999'");
  Failure octal = failure_of("rotate 08\n");
  CHECK(octal.message == "test.conf:1: bad number for rotate '08'");
  CHECK(octal.hint == "a leading 0 makes a number octal, as logrotate reads it: write '8'");
  CHECK(failure_of("start 2x\n").hint == "start takes a whole number >= 0");
  CHECK(error_of("rotate 3 # four\n") == "test.conf:1: bad number for rotate '3 # four'");
  CHECK(error_of("start -1\n") == "test.conf:1: number out of range for start '-1'");
  CHECK(error_of("minage 3d\n") == "test.conf:1: bad number for minage '3d'");
  CHECK(error_of("maxage -2\n") == "test.conf:1: number out of range for maxage '-2'");
  CHECK(error_of("shredcycles x\n") == "test.conf:1: bad number for shredcycles 'x'");

  Failure lower_m = failure_of("/var/log/a.log {\n  size 100m\n}\n");
  CHECK(lower_m.message == "test.conf:2: unknown unit in size '100m'");
  CHECK(lower_m.hint ==
        "logrotate refuses a lowercase 'm': write '100M' (a size is a whole number of bytes with an optional unit "
        "k or K (KiB), M (MiB) or G (GiB))");
  CHECK(error_of("maxsize 1g\n") == "test.conf:1: unknown unit in maxsize '1g'");
  CHECK(error_of("minsize 100kb\n") == "test.conf:1: unknown unit in minsize '100kb'");
  CHECK(error_of("size 1.5M\n") == "test.conf:1: bad size for size '1.5M'");
  CHECK(error_of("size 100 k\n") == "test.conf:1: bad size for size '100 k'");
  CHECK(error_of("size -5\n") == "test.conf:1: bad size for size '-5'");
  CHECK(error_of("size 17179869184G\n") == "test.conf:1: size out of range for size '17179869184G'");

  Failure mode = failure_of("create 0999 root adm\n");
  CHECK(mode.message == "test.conf:1: bad mode for create '0999'");
  CHECK(mode.hint == "the mode is octal, from 0 to 07777, e.g. 0640");
  CHECK(error_of("create 017777\n") == "test.conf:1: bad mode for create '017777'");
  CHECK(error_of("createolddir 7a5\n") == "test.conf:1: bad mode for createolddir '7a5'");

  Failure weekday = failure_of("weekly 8\n");
  CHECK(weekday.message == "test.conf:1: bad weekday for weekly '8'");
  CHECK(weekday.hint == "weekly takes 0 (Sunday) to 6 (Saturday), or 7 for every 7 days");
  CHECK(error_of("weekly 1 2\n") == "test.conf:1: bad weekday for weekly '1 2'");
  CHECK(error_of("weekly 010\n") == "test.conf:1: bad weekday for weekly '010'");
  CHECK(error_of("weekly 0x3\n") == "test.conf:1: bad weekday for weekly '0x3'");
  CHECK(error_of("weekly 99999999999999999999\n") == "test.conf:1: bad weekday for weekly '99999999999999999999'");
  CHECK(error_of("weekly # sunday\n") == "test.conf:1: bad weekday for weekly '# sunday'");
}

TEST_CASE("rotate config: missing and extra values") {
  Failure missing = failure_of("/var/log/a.log {\n  rotate\n}\n");
  CHECK(missing.message == "test.conf:2: missing value after 'rotate'");
  CHECK(missing.hint == "the value goes on the same line");
  CHECK(error_of("olddir   \n") == "test.conf:1: missing value after 'olddir'");
  CHECK(error_of("compressoptions\n") == "test.conf:1: missing value after 'compressoptions'");
  CHECK(error_of("include\n") == "test.conf:1: missing value after 'include'");
  CHECK(error_of("tabooext +\n") == "test.conf:1: missing value after 'tabooext'");
  CHECK(error_of("su\n") == "test.conf:1: missing value after 'su'");

  Failure flag = failure_of("daily 3\n");
  CHECK(flag.message == "test.conf:1: extra value after 'daily' '3'");
  CHECK(flag.hint == "daily takes no value");
  CHECK(error_of("missingok extra\n") == "test.conf:1: extra value after 'missingok' 'extra'");
  Failure dir = failure_of("olddir /var/old dir\n");
  CHECK(dir.message == "test.conf:1: extra value for olddir '/var/old dir'");
  CHECK(dir.hint == "olddir takes one word (logrotate allows no blanks in it)");
  CHECK(error_of("mail a@b c@d\n") == "test.conf:1: extra value for mail 'a@b c@d'");
  CHECK(error_of("compresscmd xz -9\n") == "test.conf:1: extra value for compresscmd 'xz -9'");
  CHECK(error_of("create 0640 root adm extra\n") == "test.conf:1: extra value for create '0640 root adm extra'");
  CHECK(error_of("create root adm extra\n") == "test.conf:1: extra value for create 'root adm extra'");
  CHECK(error_of("su root adm x\n") == "test.conf:1: extra value for su 'root adm x'");
  Failure su = failure_of("su root\n");
  CHECK(su.message == "test.conf:1: su needs a user and a group, not just 'root'");
  CHECK(su.hint == "write 'su root GROUP'");
  Failure equals = failure_of("create = 0640 root adm\n");
  CHECK(equals.message == "test.conf:1: unexpected '=' after create");
  CHECK(equals.hint == "logrotate does not take '=' after create: write 'create 0640 root adm'");
  CHECK(error_of("weekly=3\n") == "test.conf:1: unexpected '=' after weekly");
  // logrotate keeps the '=' in the options and hands it to the compressor.
  Failure options = failure_of("compressoptions = -9\n");
  CHECK(options.message == "test.conf:1: unexpected '=' after compressoptions");
  CHECK(options.hint == "logrotate does not take '=' after compressoptions: write 'compressoptions -9'");
  Failure brace = failure_of("/var/log/a.log {\n  rotate 6 }\n");
  CHECK(brace.message == "test.conf:2: '}' on the line of rotate '6 }'");
  CHECK(brace.hint == "put '}' on a line of its own: logrotate reads it as part of the value");
}

TEST_CASE("rotate config: users and groups must exist unless the check is off") {
  CHECK(error_of("create 0640 no-such-user-ops root\n") ==
        "test.conf:1: unknown user for create 'no-such-user-ops'");
  CHECK(error_of("create 0640 root no-such-group-ops\n") ==
        "test.conf:1: unknown group for create 'no-such-group-ops'");
  CHECK(error_of("su no-such-user-ops root\n") == "test.conf:1: unknown user for su 'no-such-user-ops'");
  CHECK(error_of("createolddir 0750 root no-such-group-ops\n") ==
        "test.conf:1: unknown group for createolddir 'no-such-group-ops'");
  CHECK(error_of("create 0640 4000000000 root\n") == "test.conf:1: unknown user for create '4000000000'");
  ParseOptions unchecked{.allow_include = true, .check_accounts = false};
  CHECK(parse("/x/a {\n create 0640 no-such-user-ops no-such-group-ops\n}\n", unchecked).logs.at(0).create->owner ==
        "no-such-user-ops");
}

TEST_CASE("rotate config: dateformat allows only logrotate's specifiers") {
  Failure julian = failure_of("dateformat -%Y%j\n");
  CHECK(julian.message == "test.conf:1: unsupported specifier '%j' in dateformat '-%Y%j'");
  CHECK(julian.hint.rfind("logrotate allows only %Y %m %d %H %M %S %V and %s", 0) == 0);
  CHECK(error_of("dateformat -%Y%%\n") == "test.conf:1: unsupported specifier '%%' in dateformat '-%Y%%'");
  CHECK(error_of("dateformat -%Y%\n") == "test.conf:1: unsupported specifier '%' in dateformat '-%Y%'");
}

TEST_CASE("rotate config: blocks that do not open or close") {
  // logrotate's words for a stray '}' (its suite looks for them).
  Failure stray = failure_of("/var/log/a.log {\n}\n}\n");
  CHECK(stray.message == "test.conf:3: unexpected } (missing previous '{')");
  CHECK(error_of("}\n") == "test.conf:1: unexpected } (missing previous '{')");
  Failure unclosed = failure_of("# x\n/var/log/a.log /var/log/b.log {\n  daily\n");
  CHECK(unclosed.message == "test.conf:2: missing '}' for the block of '/var/log/a.log /var/log/b.log'");
  CHECK(unclosed.hint == "end the block with a line '}'");
  Failure nested = failure_of("/var/log/a.log {\n  /var/log/b.log {\n  }\n}\n");
  CHECK(nested.message ==
        "test.conf:2: log file pattern '/var/log/b.log {' inside the block of '/var/log/a.log' (line 1)");
  CHECK(nested.hint == "close the first block with '}' before the next one");
  Failure after = failure_of("/var/log/a.log {\n} # done\n");
  CHECK(after.message == "test.conf:2: unexpected text after '}' '# done'");
  CHECK(error_of("/var/log/a.log {\n} weekly\n") == "test.conf:2: unexpected text after '}' 'weekly'");
  CHECK(error_of("/var/log/a.log { } /var/log/b.log {\n}\n") ==
        "test.conf:1: unexpected text after '}' '/var/log/b.log {'");
  CHECK(error_of("{\n}\n") == "test.conf:1: '{' without a log file pattern before it");
  CHECK(error_of("daily {\n}\n") == "test.conf:1: '{' without a log file pattern before it");
  Failure no_brace = failure_of("/var/log/a.log\n  daily\n}\n");
  CHECK(no_brace.message == "test.conf:1: missing '{' after log files definition '/var/log/a.log'");
  CHECK(error_of("\n/var/log/a.log\n") == "test.conf:2: missing '{' after log files definition '/var/log/a.log'");
  Failure quote = failure_of("\"/var/log/a.log {\n}\n");
  CHECK(quote.message == "test.conf:1: unterminated quote in log file patterns '\"/var/log/a.log'");
  CHECK(quote.hint == "close the double quote before '{'");
  CHECK(error_of("\"\" {\n}\n") == "test.conf:1: empty log file pattern in '\"\"'");
}

TEST_CASE("rotate config: dateformat makes a name that fits, not a path") {
  Failure path = failure_of("/var/log/a.log {\n  dateext\n  dateformat -%Y/%m/%d\n}\n");
  CHECK(path.message == "test.conf:3: dateformat '-%Y/%m/%d' would make a path: '/' in a file name");
  CHECK(path.hint == "the date is part of the rotated file's name: separate its parts with '-', '_' or '.'");
  // logrotate's limits: 63 bytes of date, a glob pattern under 127 characters
  // (%Y counts 20 there, %s 50, the others 10; a plain character 1).
  CHECK(with("dateformat -" + std::string(62, 'x')).dateformat.size() == 63);
  Failure date = failure_of("dateformat -" + std::string(63, 'x') + "\n");
  CHECK(date.message == "test.conf:1: date format '-" + std::string(63, 'x') + "' is too long");
  CHECK(date.hint.rfind("logrotate holds at most 63 bytes of date", 0) == 0);
  std::string years;
  for (int i = 0; i < 5; ++i) years += "%Y";  // a pattern of 100
  const std::string plain(17, '-');
  CHECK(with("dateformat " + years + "%m" + plain).dateformat == years + "%m" + plain);  // 127, a plain character last
  CHECK(error_of("dateformat " + years + plain + "%m\n") ==
        "test.conf:1: date format '" + years + plain + "%m' is too long");  // 127, a specifier last
}

TEST_CASE("rotate config: unterminated scripts name the line they start on") {
  Failure script = failure_of("/var/log/a.log {\n  postrotate\n    echo }\n  }\n");
  CHECK(script.message == "test.conf:2: postrotate script without 'endscript'");
  CHECK(script.hint == "end the script with a line 'endscript'");
  CHECK(error_of("firstaction\n  endscript here\n") == "test.conf:2: unknown directive 'here'");
  CHECK(error_of("lastaction\n  echo\n  endscriptx\n") == "test.conf:1: lastaction script without 'endscript'");
}

TEST_CASE("rotate config: include errors") {
  TempDir dir;
  CHECK(error_of("include /nonexistent/ops-test\n") ==
        "test.conf:1: cannot include '/nonexistent/ops-test': No such file or directory");
  auto in_block = dir.write("in-block", "/var/log/x.log {\n}\n");
  CHECK(error_of("/var/log/a.log {\n  include " + in_block.string() + "\n}\n") ==
        in_block.string() + ":1: log file pattern '/var/log/x.log {' in a file included inside a block");
  auto closer = dir.write("closer", "daily\n}\n");
  CHECK(error_of("/var/log/a.log {\n  include " + closer.string() + "\n}\n") ==
        closer.string() + ":2: '}' in an included file cannot close the block it was included from");
  auto opener = dir.write("opener", "/var/log/x.log {\n");
  CHECK(error_of("include " + opener.string() + "\n}\n") ==
        opener.string() + ":1: missing '}' for the block of '/var/log/x.log'");
  auto loop_a = dir.path() / "loop-a";
  auto loop_b = dir.path() / "loop-b";
  dir.write("loop-a", "include " + loop_b.string() + "\n");
  dir.write("loop-b", "# b\ninclude " + loop_a.string() + "\n");
  Failure loop = failure_of("include " + loop_a.string() + "\n");
  CHECK(loop.message == loop_b.string() + ":2: include loop: '" + loop_a.string() + "' is already being read");
  auto self = dir.path() / "self";
  dir.write("self", "include " + self.string() + "\n");
  CHECK(error_of("include " + self.string() + "\n") ==
        self.string() + ":1: include loop: '" + self.string() + "' is already being read");
  CHECK(error_of("/var/log/a.log {\n  tabooext + .foo\n}\n") == "test.conf:2: tabooext inside a block");
  CHECK(error_of("/var/log/a.log {\n  taboopat + *.foo\n}\n") == "test.conf:2: taboopat inside a block");
  CHECK(error_of("include /etc/logrotate.d\n", hermetic) ==
        "test.conf:1: include is not allowed here '/etc/logrotate.d'");
  auto writable = dir.write("writable", "daily\n", 0664);
  Failure unsafe = failure_of("include " + writable.string() + "\n");
  CHECK(unsafe.message == "test.conf:1: cannot include '" + writable.string() +
                              "': it is writable by group or others (mode 0664)");
  CHECK(unsafe.hint == "logrotate ignores such a file, for safety: chmod go-w '" + writable.string() + "'");
  fs::create_directory(dir.path() / "dangling");
  fs::create_symlink("/nonexistent/ops-test", dir.path() / "dangling" / "gone");
  CHECK(error_of("include " + (dir.path() / "dangling").string() + "\n") ==
        "test.conf:1: cannot include '" + (dir.path() / "dangling" / "gone").string() + "': No such file or directory");
  ::mkfifo((dir.path() / "fifo").c_str(), 0644);  // logrotate 3.21 hangs on it; we must not
  CHECK(error_of("include " + (dir.path() / "fifo").string() + "\n") ==
        "test.conf:1: cannot include '" + (dir.path() / "fifo").string() + "': not a regular file");
  try {
    opsrotate::parse_config_files({(dir.path() / "missing.conf").string()});
    FAIL("no error");
  } catch (const ops::Error& e) {
    CHECK(std::string(e.what()) ==
          "cannot read configuration '" + (dir.path() / "missing.conf").string() + "': No such file or directory");
  }
}

// The patterns of each block read, in order.
std::vector<std::string> blocks_of(const RotateConfig& config) {
  std::vector<std::string> out;
  for (const auto& log : config.logs) out.push_back(log.patterns.at(0));
  return out;
}

// Every error and skip line, one a line.
std::vector<std::string> lines_of(const RotateConfig& config) {
  std::vector<std::string> out;
  for (const auto& e : config.errors) out.push_back((e.skipping ? "skip " : "error ") + e.message);
  return out;
}

const std::string kSkipTail = ": none of its logs is rotated, none of its scripts run";

TEST_CASE("rotate config: an error inside a block skips that block whole, scripts and all; the others are read") {
  RotateConfig config = read("/var/log/a.log {\n  rotate 1\n}\n"
                             "/var/log/b.log {\n  newkeyword\n  postrotate\n    echo }\n  endscript\n  rotate 1\n}\n"
                             "/var/log/c.log {\n  rotate 1\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/a.log", "/var/log/c.log"});
  CHECK(lines_of(config) ==
        std::vector<std::string>{"error test.conf:5: unknown directive 'newkeyword'",
                                 "skip test.conf:4: skipping the block of '/var/log/b.log' for its error" + kSkipTail});
  // A bad value, a garbage line, text after '}', and a script keyword's
  // text are all inside the block; every error is listed.
  config = read("/var/log/a.log /var/log/a2.log {\n  size 300x\n  g@rbage\n  firstaction\n    touch x\n  endscript\n} x\n"
                "/var/log/b.log {\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/b.log"});
  CHECK(lines_of(config) == std::vector<std::string>{
                                "error test.conf:2: unknown unit in size '300x'",
                                "error test.conf:3: unknown directive 'g@rbage'",
                                "error test.conf:7: unexpected text after '}' 'x'",
                                "skip test.conf:1: skipping the block of '/var/log/a.log /var/log/a2.log' for its 3 errors" +
                                    kSkipTail});
  // A '}' that ends a line with an error ends the block.
  config = read("/var/log/a.log {\n  rotate 6 }\n/var/log/b.log {\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/b.log"});
  CHECK(config.errors.size() == 2);
  // A bad pattern, or none, before a '{': the block ends at its '}'.
  config = read("\"/var/log/a.log {\n  daily\n}\n{\n  daily\n}\n/var/log/b.log {\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/b.log"});
  CHECK(lines_of(config).at(1) == "skip test.conf:1: skipping this block for its error" + kSkipTail);
  CHECK(lines_of(config).at(3) == "skip test.conf:4: skipping this block for its error" + kSkipTail);
  // A line with an error that ends in '{' means a block: it ends at its '}'.
  config = read("var/log/a.log {\n  daily\n}\n/var/log/b.log {\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/b.log"});
  CHECK(lines_of(config) == std::vector<std::string>{"error test.conf:1: unknown directive 'var/log/a.log'",
                                                     "skip test.conf:1: skipping this block for its error" + kSkipTail});
}

TEST_CASE("rotate config: an error outside a block, or a block that cannot be delimited, skips the whole file") {
  TempDir dir;
  const std::string whole = ": skipping the whole file: the error at line ";
  const std::string whole_tail = " is not inside a block that can be skipped alone, so none of its blocks is rotated";
  // A global directive would change the defaults of every block after it:
  // the file goes whole, blocks before it too, and its global settings are
  // undone for the next file.
  auto first = dir.write("first.conf", "compress\n/var/log/a.log {\n}\nrotat 4\n/var/log/b.log {\n}\n");
  auto second = dir.write("second.conf", "/var/log/c.log {\n}\n");
  RotateConfig config = opsrotate::parse_config_files({first.string(), second.string()});
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/c.log"});
  CHECK_FALSE(config.logs.at(0).compress);
  CHECK(lines_of(config) == std::vector<std::string>{"error " + first.string() + ":4: unknown directive 'rotat'",
                                                     "skip " + first.string() + whole + "4" + whole_tail});
  // logrotate's test 17: a missing '{', then the '}' it leaves stray; both listed.
  config = read("create\n\n/var/log/a.log\n    weekly\n    rotate 1\n}\n");
  CHECK(config.logs.empty());
  CHECK(lines_of(config) == std::vector<std::string>{
                                "error test.conf:3: missing '{' after log files definition '/var/log/a.log'",
                                "error test.conf:6: unexpected } (missing previous '{')",
                                "skip test.conf" + whole + "3" + whole_tail});
  // A pattern inside a block, a missing '}', a script without endscript:
  // where one block ends is unknown.
  for (const char* text : {"/var/log/a.log {\n/var/log/b.log {\n}\n", "/var/log/a.log {\n}\n/var/log/b.log {\n",
                           "/var/log/a.log {\n}\n/var/log/b.log {\n  postrotate\n    echo\n}\n"}) {
    INFO(text);
    config = read(text);
    CHECK(config.logs.empty());
    REQUIRE_FALSE(config.errors.empty());
    CHECK(config.errors.back().skipping);
    CHECK(config.errors.back().message.find("test.conf: skipping the whole file") == 0);
  }
  // Garbage: the file is skipped after 20 errors, not read to its end.
  std::string garbage;
  for (int i = 0; i < 100; ++i) garbage += "@@\n";
  config = read(garbage);
  CHECK(config.errors.size() == 22);
  CHECK(config.errors.at(20).message == "test.conf:20: 20 errors: not reading the rest of the file");
}

TEST_CASE("rotate config: one broken file of an included directory does not stop the others") {
  TempDir dir;
  fs::create_directory(dir.path() / "d");
  dir.write("d/a", "/var/log/a.log {\n  rotate 2\n}\n");
  dir.write("d/b", "/var/log/b1.log {\n  rotate 2\n  bogus\n}\n/var/log/b2.log {\n}\n");  // one bad block
  dir.write("d/c", "/var/log/c.log {\n}\n}\n");                                             // a stray '}'
  dir.write("d/d", "/var/log/d.log {\n}\n", 0664);                                          // writable by others
  dir.write("d/e", "weekly\n/var/log/e.log {\n}\n");
  fs::create_symlink("/nonexistent/ops-test", dir.path() / "d" / "f");  // dangling
  dir.write("d/g", "/var/log/g.log {\n}\n");
  RotateConfig config = read("daily\ninclude " + (dir.path() / "d").string() + "\n/var/log/z.log {\n}\n");
  CHECK(blocks_of(config) ==
        std::vector<std::string>{"/var/log/a.log", "/var/log/b2.log", "/var/log/e.log", "/var/log/g.log", "/var/log/z.log"});
  // e's global `weekly` carries on, as logrotate has it; c's stray '}' did not undo anything else.
  CHECK(config.logs.at(3).frequency == Frequency::weekly);
  const std::string d = (dir.path() / "d").string();
  CHECK(lines_of(config) ==
        std::vector<std::string>{
            "error " + d + "/b:3: unknown directive 'bogus'",
            "skip " + d + "/b:1: skipping the block of '/var/log/b1.log' for its error" + kSkipTail,
            "error " + d + "/c:3: unexpected } (missing previous '{')",
            "skip " + d + "/c: skipping the whole file: the error at line 3 is not inside a block that can be skipped "
                          "alone, so none of its blocks is rotated",
            "error test.conf:2: cannot include '" + d + "/d': it is writable by group or others (mode 0664)",
            "error test.conf:2: cannot include '" + d + "/f': No such file or directory"});
  // The same directory named on the command line.
  config = opsrotate::parse_config_files({d});
  CHECK(blocks_of(config) ==
        std::vector<std::string>{"/var/log/a.log", "/var/log/b2.log", "/var/log/e.log", "/var/log/g.log"});
  CHECK(lines_of(config).at(4) == "error cannot read configuration '" + d + "/d': it is writable by group or others (mode 0664)");
}

TEST_CASE("rotate config: an include that fails inside a block, or an error in what it includes, skips the block") {
  TempDir dir;
  auto bad = dir.write("bad", "rotate 2\nbogus\n");
  auto good = dir.write("good", "rotate 3\n");
  RotateConfig config = read("/var/log/a.log {\n  include /nonexistent/ops-test\n}\n"
                             "/var/log/b.log {\n  include " + bad.string() + "\n}\n"
                             "/var/log/c.log {\n  include " + good.string() + "\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/c.log"});
  CHECK(config.logs.at(0).rotate == 3);
  CHECK(lines_of(config) ==
        std::vector<std::string>{
            "error test.conf:2: cannot include '/nonexistent/ops-test': No such file or directory",
            "skip test.conf:1: skipping the block of '/var/log/a.log' for its error" + kSkipTail,
            "error " + bad.string() + ":2: unknown directive 'bogus'",
            "skip test.conf:4: skipping the block of '/var/log/b.log' for its error" + kSkipTail});
  // Outside a block, a failed include skips only what it names.
  config = read("include /nonexistent/ops-test\n/var/log/a.log {\n}\n");
  CHECK(blocks_of(config) == std::vector<std::string>{"/var/log/a.log"});
  CHECK(config.errors.size() == 1);
}

TEST_CASE("rotate config: files that are not logrotate text") {
  Failure crlf = failure_of("/var/log/a.log {\r\n  daily\r\n}\r\n");
  CHECK(crlf.message == "test.conf:1: expected a directive or a log file pattern, not '\\r'");
  CHECK(crlf.hint ==
        "the file has CRLF (Windows) line endings, which logrotate refuses too: remove the \\r characters");
  CHECK(error_of(std::string("daily\n\nrot\0ate 3\n", 17)) == "test.conf:3: a NUL byte in the configuration");
  CHECK(error_of("/var/log/a.log {\n  \x01\x7f\n}\n") ==
        "test.conf:2: expected a directive or a log file pattern, not '\\x01\\x7f'");
  std::string long_value(200, '9');
  CHECK(error_of("rotate " + long_value + "\n") ==
        "test.conf:1: number out of range for rotate '" + std::string(80, '9') + "...'");
}
