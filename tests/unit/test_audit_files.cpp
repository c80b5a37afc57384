// opsaudit perms/changes internals: the shell words of fix commands, the
// baseline's escaping and parser, which files are secrets, and the exclusions.
#include "opsaudit/files/baseline.hpp"
#include "opsaudit/files/path_text.hpp"
#include "opsaudit/files/secrets.hpp"
#include "opsaudit/files/tree_walk.hpp"

#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace opsaudit::files;

TEST_CASE("audit files: shell words name the exact bytes, on one printable line") {
  CHECK(shell_word("/var/www/app/.env") == "/var/www/app/.env");
  CHECK(shell_word("/srv/my app") == "'/srv/my app'");
  CHECK(shell_word("/srv/it's") == "'/srv/it'\\''s'");
  CHECK(shell_word("/srv/a\nb") == "$'/srv/a\\x0ab'");
  CHECK(shell_word("/srv/\x1b[31mred") == "$'/srv/\\x1b[31mred'");
  CHECK(shell_word("/srv/\xff'\\") == "$'/srv/\\xff\\'\\\\'");
  CHECK(shell_word("/srv/café") == "'/srv/café'");
  CHECK(shell_word("") == "''");
  CHECK(fix_command("chmod 0600", "-x.key") == "chmod 0600 -- -x.key");
  CHECK(fix_command("chmod 0600", "/etc/x.key") == "chmod 0600 /etc/x.key");
}

TEST_CASE("audit files: baseline escaping round-trips every byte") {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  const std::string e = escaped(all + "café");
  CHECK(e.find('\t') == std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  CHECK(unescaped(e) == all + "café");
  CHECK(escaped("a\\b") == "a\\\\b");
  CHECK_FALSE(unescaped("bad\\q").has_value());
  CHECK_FALSE(unescaped("cut\\x4").has_value());
  CHECK_FALSE(unescaped("raw\ttab").has_value());
}

TEST_CASE("audit files: a baseline reads back what was written, and a damaged one names its line") {
  Baseline b;
  b.created = "2026-12-06T11:00:00Z";
  b.roots = {"/srv/a\tb"};
  b.excludes = {"*.swp"};
  FileState f;
  f.type = 'f';
  f.mode = 04755;
  f.size = 12;
  f.mtime_sec = 1700000000;
  f.mtime_nsec = 5;
  f.data = std::string(64, 'a');
  FileState l;
  l.type = 'l';
  l.mode = 0777;
  l.data = "../x\ny";
  b.entries = {{"/srv/a\tb/f", f}, {"/srv/a\tb/l", l}};
  const Baseline back = parse_baseline(baseline_text(b), "B");
  CHECK(back.roots == b.roots);
  CHECK(back.excludes == b.excludes);
  REQUIRE(back.entries.size() == 2);
  CHECK(back.entries[0].first == "/srv/a\tb/f");
  CHECK(back.entries[0].second.mode == 04755);
  CHECK(back.entries[0].second.mtime_nsec == 5);
  CHECK(back.entries[1].second.data == "../x\ny");

  const auto refused = [](const std::string& text) {
    try {
      parse_baseline(text, "B");
    } catch (const ops::Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string head = "opsaudit-baseline 1\nroot\t/srv\n";
  CHECK(refused("") == "B: empty, not a baseline (--init writes one)");
  CHECK(refused("hello\n").rfind("B:1: the first line is not", 0) == 0);
  CHECK(refused(head + "f\t0644\t0\t0\t1\t1.000000000\tzz\t/srv/x\n").rfind("B:3: bad SHA-256 'zz'", 0) == 0);
  CHECK(refused(head + "f\t0644\t0\t0\t1\t1.0\t?\t/srv/x\n").rfind("B:3: bad mtime", 0) == 0);
  CHECK(refused(head + "d\t0999\t0\t0\t-\t-\t-\t/srv\n").rfind("B:3: bad mode", 0) == 0);
  CHECK(refused(head + "d\t0755\t0\t0\t-\t-\t-\t/srv\nd\t0755\t0\t0\t-\t-\t-\t/srv\n").find("listed twice") !=
        std::string::npos);
  CHECK(refused(head + "d\t0755\t0\t0\t-\t-\t-\t/srv").find("cut short") != std::string::npos);
  CHECK(refused("opsaudit-baseline 1\n") == "B: names no root: not a baseline opsaudit wrote");
  CHECK(refused(head + "# a note\n\nd\t0755\t0\t0\t-\t-\t-\t/srv\n") == "accepted");
}

TEST_CASE("audit files: secrets by name, and by content where the name does not say") {
  CHECK(secret_name(".env")->test == SecretTest::name);
  CHECK(secret_name(".env.production").has_value());
  CHECK_FALSE(secret_name(".env.example").has_value());
  CHECK(secret_name("server.key").has_value());
  CHECK(secret_name("cert.pem")->test == SecretTest::private_key);
  CHECK(secret_name("wp-config.php")->test == SecretTest::password);
  CHECK_FALSE(secret_name("index.php").has_value());

  CHECK(writes_password("'PASSWORD': 'x',", false));
  CHECK(writes_password("define('DB_PASSWORD', 'hunter2');", false));
  CHECK(writes_password("$db_pass = \"x\";", false));
  CHECK(writes_password("'password' => 'x',", false));
  CHECK_FALSE(writes_password("'PASSWORD': '',", false));
  CHECK_FALSE(writes_password("'PASSWORD': os.environ['DB_PASSWORD'],", false));
  CHECK_FALSE(writes_password("define('DB_PASSWORD', getenv('DB_PASSWORD'));", false));
  CHECK(writes_password("[client]\npassword = s3cret\n", true));
  CHECK_FALSE(writes_password("[client]\npassword = s3cret\n", false));
  CHECK_FALSE(writes_password("[client]\n# password =\nuser = x\n", true));
  CHECK(holds_private_key("-----BEGIN RSA PRIVATE KEY-----\nMII\n"));
  CHECK_FALSE(holds_private_key("-----BEGIN CERTIFICATE-----\nMII\n"));
}

TEST_CASE("audit files: an exclusion is a glob of the whole path, or of the name") {
  CHECK(excluded("/var/www/app/cache", {"/var/www/app/cache"}));
  CHECK(excluded("/srv/a/tmp", {"/srv/*/tmp"}));
  CHECK(excluded("/srv/a/.git", {".git"}));
  CHECK(excluded("/srv/a/x.log", {"*.log"}));
  CHECK_FALSE(excluded("/srv/a/.hidden.log", {"*.log"}));  // as the shell: * does not match a leading dot
  CHECK_FALSE(excluded("/srv/cache2", {"/srv/cache"}));
  CHECK(root_name("/etc///") == "/etc");
  CHECK(root_name("/") == "/");
}
