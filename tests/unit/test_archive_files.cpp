// opsarchive files: the naming rules (compressed suffixes, our temporary
// files, --match, --into-tar names), the checks that refuse a bad job before
// anything changes, and archive_files() on small real trees as `opsarchive
// run` will call it.
#include "opsarchive/files/file_rules.hpp"
#include "opsarchive/files/files_job.hpp"
#include "support.hpp"

#include <ops/clock.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace opsarchive;
using ops::test::EnvGuard;
using ops::test::TempDir;
using ops::test::TzGuard;
namespace fs = std::filesystem;

namespace {

void set_mtime(const fs::path& p, const char* when) {
  const auto t = ops::parse_time(when).time_since_epoch().count();
  const struct timespec times[2] = {{t, 0}, {t, 0}};
  REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

ops::Status usage_status(const FilesJob& job) {
  try {
    check_files_job(job);
  } catch (const ops::Error& e) {
    return e.status();
  }
  return ops::Status::ok;
}

}  // namespace

TEST_CASE("compressed suffixes are recognised, case-insensitively", "[archive_files]") {
  CHECK(has_compressed_suffix("app.log.gz"));
  CHECK(has_compressed_suffix("app.log.ZST"));
  CHECK(has_compressed_suffix("backup.tgz"));
  CHECK(has_compressed_suffix("x.zip"));
  CHECK_FALSE(has_compressed_suffix("app.log"));
  CHECK_FALSE(has_compressed_suffix(".gz"));  // a hidden file called .gz has no suffix
  CHECK_FALSE(has_compressed_suffix("app.gzip.log"));
  CHECK(strip_compressed_suffix("app.log.xz") == "app.log");
  CHECK(strip_compressed_suffix("app.log") == "app.log");
}

TEST_CASE("compressed content is recognised by its magic", "[archive_files]") {
  using namespace std::string_view_literals;
  CHECK(looks_compressed("\x1f\x8b\x08\x00"sv));
  CHECK(looks_compressed("\x28\xb5\x2f\xfd"sv));
  CHECK(looks_compressed("BZh91AY"sv));
  CHECK(looks_compressed("PK\x03\x04"sv));
  CHECK_FALSE(looks_compressed("2026-01-31 GET /"sv));
  CHECK_FALSE(looks_compressed(""sv));
}

TEST_CASE("temporary names are ours and nothing else", "[archive_files]") {
  CHECK(temp_prefix("app.log.gz") == ".app.log.gz.opsarchive-tmp.");
  CHECK(is_temp_name(".app.log.gz.opsarchive-tmp.Ab12Cd"));
  CHECK_FALSE(is_temp_name("app.log.gz.opsarchive-tmp.Ab12Cd"));  // not hidden: someone's own file
  CHECK_FALSE(is_temp_name(".app.log.gz.opsarchive-tmp.Ab12C"));
  CHECK_FALSE(is_temp_name(".app.log.gz.opsarchive-tmp.Ab12Cd.bak"));
  CHECK_FALSE(is_temp_name(".app.log.gz.tmp.Ab12Cd"));  // AtomicFile's, not ours
}

TEST_CASE("match globs select by name, and a compressed name without its suffix", "[archive_files]") {
  CHECK(name_matches({}, "anything"));
  CHECK(name_matches({"*.log"}, "app.log"));
  CHECK(name_matches({"*.log"}, "app.log.gz"));
  CHECK_FALSE(name_matches({"*.log"}, "app.txt"));
  CHECK(name_matches({"*.txt", "access*"}, "access.log.1"));
  CHECK_FALSE(name_matches({"app"}, "app.log"));
}

TEST_CASE("into-tar names: the cut-off date, the glob of earlier ones, the format", "[archive_files]") {
  TzGuard tz("UTC");
  const auto cutoff = ops::parse_time("2025-11-02T12:00:00Z");
  CHECK(expand_tar_path("/srv/old/logs-%Y%m%d.tar.gz", cutoff) == "/srv/old/logs-20251102.tar.gz");
  CHECK(expand_tar_path("logs-100%%-%F.tar", cutoff) == "logs-100%-2025-11-02.tar");
  CHECK(expand_tar_path("plain.tar", cutoff) == "plain.tar");
  CHECK(tar_name_glob("logs-%Y%m%d.tar.gz") == "logs-*.tar.gz");
  CHECK(tar_name_glob("a[1]-%F.tar") == "a\\[1]-*.tar");
  CHECK(tar_compression("x.tar") == ops::Compression::none);
  CHECK(tar_compression("x.tar.gz") == ops::Compression::gzip);
  CHECK(tar_compression("x.TGZ") == ops::Compression::gzip);
  CHECK(tar_compression("x.tar.zst") == ops::Compression::zstd);
  CHECK(tar_compression("x.txz") == ops::Compression::xz);
  CHECK_FALSE(tar_compression("x.zip"));
  CHECK_FALSE(tar_compression(".tar"));
  CHECK(member_name("app", "sub/x.log", false) == "sub/x.log");
  CHECK(member_name("app", "sub/x.log", true) == "app/sub/x.log");
}

TEST_CASE("a bad job is refused with exit 3 before anything changes", "[archive_files]") {
  EnvGuard now("OPS_NOW", "2026-01-31T12:00:00Z");
  TempDir dir;
  const fs::path file = dir.write("a.log", "old\n");
  set_mtime(file, "2024-01-01T00:00:00Z");
  using namespace std::chrono_literals;
  FilesJob good;
  good.dirs = {dir.path()};
  good.older_than = 90 * 24h;
  good.compress = ops::Compression::gzip;
  CHECK(usage_status(good) == ops::Status::ok);

  auto bad = good;
  bad.dirs.push_back(dir.path() / "missing");
  CHECK(usage_status(bad) == ops::Status::unknown);
  bad = good;
  bad.compress.reset();
  bad.older_than.reset();
  CHECK(usage_status(bad) == ops::Status::unknown);  // nothing to do
  bad = good;
  bad.delete_older_than = 30 * 24h;
  CHECK(usage_status(bad) == ops::Status::unknown);  // expiry before compression
  bad = good;
  bad.level = 10;
  CHECK(usage_status(bad) == ops::Status::unknown);
  bad = good;
  bad.into_tar = dir.path() / "x.tar";
  CHECK(usage_status(bad) == ops::Status::unknown);  // both actions
  bad = good;
  bad.compress.reset();
  bad.into_tar = dir.path() / "a.log";
  CHECK(usage_status(bad) == ops::Status::unknown);  // not an archive name
  dir.write("old.tar", "");
  bad.into_tar = dir.path() / "old.tar";
  CHECK(usage_status(bad) == ops::Status::unknown);  // exists
  bad.into_tar = dir.path() / "new.tar";
  CHECK(usage_status(bad) == ops::Status::ok);

  // archive_files checks first: nothing was touched by the refusals above.
  bad = good;
  bad.delete_older_than = 1h;
  CHECK_THROWS_AS(archive_files(bad), ops::Error);
  CHECK(fs::exists(file));
}

TEST_CASE("archive_files compresses, expires and skips hard-linked files", "[archive_files]") {
  EnvGuard now("OPS_NOW", "2026-01-31T12:00:00Z");
  TempDir dir;
  const fs::path old_log = dir.write("old.log", std::string(5000, 'x'), 0640);
  const fs::path ancient = dir.write("ancient.log", "gone\n");
  const fs::path fresh = dir.write("fresh.log", "new\n");
  const fs::path linked = dir.write("linked.log", "two names\n");
  REQUIRE(::link(linked.c_str(), (dir.path() / "other-name").c_str()) == 0);
  set_mtime(old_log, "2025-09-01T00:00:00Z");
  set_mtime(ancient, "2024-09-01T00:00:00Z");
  set_mtime(linked, "2025-09-01T00:00:00Z");
  using namespace std::chrono_literals;
  FilesJob job;
  job.dirs = {dir.path()};
  job.older_than = 90 * 24h;
  job.match = {"*.log"};
  job.compress = ops::Compression::gzip;
  job.delete_older_than = 365 * 24h;

  job.dry_run = true;
  FilesOutcome dry = archive_files(job);
  CHECK(dry.actions.size() == 2);
  CHECK(dry.files_compressed == 0);
  CHECK(fs::exists(old_log));
  CHECK(fs::exists(ancient));

  job.dry_run = false;
  FilesOutcome done = archive_files(job);
  CHECK(done.status == ops::Status::warning);  // the hard-linked file
  CHECK(done.files_compressed == 1);
  CHECK(done.files_deleted == 1);
  REQUIRE(done.actions.size() == 2);
  CHECK(done.actions[0].action == "deleted");
  CHECK(done.actions[0].path == ancient);
  CHECK(done.actions[1].action == "compressed");
  CHECK(*done.actions[1].bytes_before == 5000);
  CHECK(done.bytes_freed == 5000 - static_cast<std::int64_t>(*done.actions[1].bytes_after) + 5);
  CHECK_FALSE(fs::exists(old_log));
  struct stat st {};
  REQUIRE(::stat((dir.path() / "old.log.gz").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_mtim.tv_sec == ops::parse_time("2025-09-01T00:00:00Z").time_since_epoch().count());
  CHECK(fs::exists(fresh));
  CHECK(fs::exists(linked));
}
