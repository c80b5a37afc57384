// ops/backup_store.hpp: what a store says about one NAME (opshealth's
// `backup NAME`), on stores written by opsbackup's own code — backups made by
// backup_files, verdicts recorded as `verify` records them, last runs by
// recording_last_run — so the reader is tested against the writer.
#include "opsbackup/files/files_backup.hpp"
#include "opsbackup/store/last_run.hpp"
#include "opsbackup/store/manifest.hpp"
#include "opsbackup/store/verify.hpp"

#include <ops/backup_store.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <sys/stat.h>

#include <string>

using ops::backup::backup_state;
using ops::backup::BackupState;
using ops::test::EnvGuard;
using ops::test::TempDir;

namespace {

namespace fs = std::filesystem;

constexpr const char* kName = "app";

// A store under DIR/store with one source tree, written by opsbackup's code.
class Store {
 public:
  Store() {
    fs::create_directories(dir_.path() / "src" / "www");
    ops::test::spit(dir_.path() / "src" / "www" / "index.php", "<?php echo 'hello';\n");
  }
  fs::path root() const { return dir_.path() / "store"; }

  // `opsbackup files app` at `when`: the backup and its last-run record.
  opsbackup::BackupResult backup(const char* when) {
    EnvGuard now("OPS_NOW", when);
    opsbackup::FilesBackupRequest request;
    request.name = kName;
    request.sources = {dir_.path() / "src" / "www"};
    request.root = root();
    opsbackup::BackupResult result;
    opsbackup::recording_last_run(root() / kName, warnings_, [&] { result = opsbackup::backup_files(request); });
    return result;
  }

  // A run at `when` that fails (its NAME directory exists already).
  void failed_run(const char* when, const std::string& why) {
    EnvGuard now("OPS_NOW", when);
    CHECK_THROWS_AS(opsbackup::recording_last_run(root() / kName, warnings_, [&] { ops::fail(why); }), ops::Error);
  }

  // `opsbackup verify` at `when`: the verdict recorded in the manifest.
  void verify(const opsbackup::BackupResult& b, const char* when) {
    EnvGuard now("OPS_NOW", when);
    opsbackup::Manifest m = opsbackup::read_manifest(b.manifest_path);
    const opsbackup::VerifyOutcome outcome = opsbackup::verify_backup(b.manifest_path, m);
    m.verified = opsbackup::Verification{ops::now(), "checksum", outcome.ok, outcome.detail};
    opsbackup::write_manifest(b.manifest_path, m);
  }

  BackupState state() const { return backup_state(root(), kName); }

 private:
  TempDir dir_;
  ops::Warnings warnings_;
};

ops::SysTime at(const char* iso) { return ops::parse_time(iso); }

}  // namespace

TEST_CASE("backup_state: a fresh, verified backup and the run that made it", "[backup_store]") {
  Store store;
  const auto made = store.backup("2026-12-06T02:00:00Z");
  store.verify(made, "2026-12-06T02:05:00Z");

  const BackupState s = store.state();
  CHECK(s.dir == store.root() / kName);
  REQUIRE(s.newest);
  CHECK(s.newest->manifest_path == made.manifest_path);
  CHECK(s.newest->data_path() == made.data_path);
  CHECK(s.newest->manifest.started == at("2026-12-06T02:00:00Z"));
  CHECK(s.newest->manifest.size == fs::file_size(made.data_path));
  CHECK(s.newest->manifest.size == made.manifest.size);
  REQUIRE(s.newest->manifest.verified);
  CHECK(s.newest->manifest.verified->ok);
  CHECK(s.newest->manifest.verified->how == "checksum");
  CHECK(s.newest->manifest.verified->at == at("2026-12-06T02:05:00Z"));
  CHECK(s.unreadable.empty());
  REQUIRE(s.last_run);
  CHECK(s.last_run->ok);
  CHECK(s.last_run->started == at("2026-12-06T02:00:00Z"));
  CHECK(s.last_run->error.empty());
  CHECK(s.last_run_problem.empty());
}

TEST_CASE("backup_state: a stale store — the newest complete backup is the old one", "[backup_store]") {
  Store store;
  const auto old = store.backup("2026-12-01T02:00:00Z");
  store.backup("2026-11-30T02:00:00Z");  // an older backup made later (a clock put right)
  SECTION("never verified: no verdict") {
    const BackupState s = store.state();
    REQUIRE(s.newest);
    CHECK(s.newest->manifest_path == old.manifest_path);
    CHECK(s.newest->manifest.started == at("2026-12-01T02:00:00Z"));
    CHECK_FALSE(s.newest->manifest.verified);
    REQUIRE(s.last_run);
    CHECK(s.last_run->started == at("2026-11-30T02:00:00Z"));  // the latest attempt, not the newest backup
  }
  SECTION("a newer run died between data and manifest: not a backup") {
    const auto crashed = store.backup("2026-12-05T02:00:00Z");
    fs::remove(crashed.manifest_path);
    REQUIRE(fs::exists(crashed.data_path));
    const BackupState s = store.state();
    REQUIRE(s.newest);
    CHECK(s.newest->manifest_path == old.manifest_path);
    CHECK(s.unreadable.empty());
  }
}

TEST_CASE("backup_state: a backup whose verification failed carries the verdict", "[backup_store]") {
  Store store;
  const auto made = store.backup("2026-12-06T02:00:00Z");
  ops::test::spit(made.data_path, ops::test::slurp(made.data_path) + "x");  // changed after the backup
  store.verify(made, "2026-12-06T03:00:00Z");

  const BackupState s = store.state();
  REQUIRE(s.newest);
  REQUIRE(s.newest->manifest.verified);
  CHECK_FALSE(s.newest->manifest.verified->ok);
  CHECK(s.newest->manifest.verified->at == at("2026-12-06T03:00:00Z"));
  CHECK(s.newest->manifest.verified->detail ==
        fmt::format("{} is {} bytes, the manifest says {}", made.data_path.string(), made.manifest.size + 1,
                    made.manifest.size));
  REQUIRE(s.last_run);
  CHECK(s.last_run->ok);  // the run itself went well
}

TEST_CASE("backup_state: unreadable manifests are reported by name, not thrown", "[backup_store]") {
  Store store;
  const auto good = store.backup("2026-12-04T02:00:00Z");
  const auto broken = store.backup("2026-12-05T02:00:00Z");
  const auto newest = store.backup("2026-12-06T02:00:00Z");
  ops::test::spit(newest.manifest_path, "{\"manifest_format\": 1,");  // cut short
  fs::remove(broken.manifest_path);
  REQUIRE(::mkfifo(broken.manifest_path.c_str(), 0600) == 0);  // refused, not waited on

  const BackupState s = store.state();
  REQUIRE(s.newest);
  CHECK(s.newest->manifest_path == good.manifest_path);
  REQUIRE(s.unreadable.size() == 2);
  CHECK(s.unreadable[0].path == newest.manifest_path);
  CHECK(s.unreadable[0].error.starts_with(newest.manifest_path.string() + ": not valid JSON: "));
  CHECK(s.unreadable[1].path == broken.manifest_path);
  CHECK(s.unreadable[1].error == broken.manifest_path.string() + " is not a regular file");

  SECTION("every manifest unreadable: no backup, all of them named") {
    ops::test::spit(good.manifest_path, "[]");
    const BackupState none = store.state();
    CHECK_FALSE(none.newest);
    REQUIRE(none.unreadable.size() == 3);
    CHECK(none.unreadable[2].path == good.manifest_path);
    CHECK(none.unreadable[2].error.starts_with(good.manifest_path.string() + ": malformed manifest: "));
  }
}

TEST_CASE("backup_state: no backups", "[backup_store]") {
  Store store;
  SECTION("no DIR/NAME at all") {
    const BackupState s = store.state();
    CHECK_FALSE(s.newest);
    CHECK(s.unreadable.empty());
    CHECK_FALSE(s.last_run);
    CHECK(s.last_run_problem.empty());
  }
  SECTION("the first run failed: its record, and nothing else") {
    fs::create_directories(store.root() / kName);
    store.failed_run("2026-12-06T02:00:00Z", "cannot connect to postgresql://backup@db1/app");
    const BackupState s = store.state();
    CHECK_FALSE(s.newest);
    REQUIRE(s.last_run);
    CHECK_FALSE(s.last_run->ok);
    CHECK(s.last_run->error == "cannot connect to postgresql://backup@db1/app");
  }
  SECTION("a bad NAME is a usage error, before anything is read") {
    try {
      backup_state(store.root(), "../etc");
      FAIL("no error");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      CHECK(std::string(e.what()) == "bad backup name '../etc'");
    }
  }
}

TEST_CASE("backup_state: the last run failed after an older backup", "[backup_store]") {
  Store store;
  const auto made = store.backup("2026-12-05T02:00:00Z");
  store.failed_run("2026-12-06T02:00:00Z", "pg_dump exited with status 1: connection refused");

  const BackupState s = store.state();
  REQUIRE(s.newest);
  CHECK(s.newest->manifest_path == made.manifest_path);
  REQUIRE(s.last_run);
  CHECK_FALSE(s.last_run->ok);
  CHECK(s.last_run->started == at("2026-12-06T02:00:00Z"));
  CHECK(s.last_run->error == "pg_dump exited with status 1: connection refused");
  CHECK(s.last_run_problem.empty());

  SECTION("an unreadable record is no run, and named") {
    const fs::path record = store.root() / kName / ".last-run.json";
    ops::test::spit(record, "{\"started\": 5}");
    const BackupState bad = store.state();
    CHECK_FALSE(bad.last_run);
    CHECK(bad.last_run_problem.starts_with(record.string() + ": not a last-run record: "));
    REQUIRE(bad.newest);  // the backups are still read
  }
}

TEST_CASE("manifest_text and parse_manifest: what opsbackup writes reads back whole", "[backup_store]") {
  Store store;
  auto made = store.backup("2026-12-06T02:00:00Z");
  store.verify(made, "2026-12-06T02:01:00Z");
  const auto m = ops::backup::read_manifest(made.manifest_path);
  CHECK(ops::backup::manifest_text(m) == ops::test::slurp(made.manifest_path));
  CHECK(m.name == kName);
  CHECK(m.kind == "files");
  CHECK(m.file == made.data_path.filename().string());
  CHECK(m.file_count == made.manifest.file_count);
  CHECK(m.sha256 == made.manifest.sha256);
}
