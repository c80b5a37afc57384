// opsdf's growth history: the file format, crash repair, concurrent appends.
#include "opsdf/history/history.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using opsdf::Sample;
using opsdf::SeriesKind;

namespace {

// A scratch directory per test case, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/opsdf-history-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

Sample sample(const char* time, SeriesKind kind, std::string series, std::uint64_t used,
              std::optional<std::uint64_t> avail) {
  return Sample{ops::parse_time(time), kind, std::move(series), used, avail};
}

std::vector<Sample> snapshot(const char* time, std::uint64_t used) {
  return {sample(time, SeriesKind::fs, "/", used, 1000), sample(time, SeriesKind::dir, "/var/log", used / 2, 1000),
          sample(time, SeriesKind::db, "app", used / 4, std::nullopt)};
}

void append_raw(const fs::path& path, std::string_view bytes) {
  ops::Fd fd = ops::open_file(path, O_WRONLY | O_APPEND);
  ops::write_all(fd.get(), bytes, path.string());
}

// The exit-3 error a call throws, or a failure when it throws none.
ops::Error usage_error(const std::function<void()>& call) {
  try {
    call();
  } catch (const ops::Error& e) {
    return e;
  }
  FAIL("no ops::Error thrown");
  throw std::logic_error("unreachable");
}

const std::string kHeader = std::string(opsdf::kHistoryHeader) + "\n";

}  // namespace

TEST_CASE("history: a sample is one tab-separated line, series escaped", "[history]") {
  CHECK(opsdf::format_sample(sample("2026-01-31T03:00:00Z", SeriesKind::fs, "/", 123, 456)) ==
        "2026-01-31T03:00:00Z\tfs\t/\t123\t456\n");
  CHECK(opsdf::format_sample(sample("2026-01-31T03:00:00Z", SeriesKind::db, "app", 7, std::nullopt)) ==
        "2026-01-31T03:00:00Z\tdb\tapp\t7\t\n");
  Sample odd = sample("2026-01-31T03:00:00Z", SeriesKind::dir, "/srv/a\tb\nc\\d", 1, 2);
  CHECK(opsdf::format_sample(odd) == "2026-01-31T03:00:00Z\tdir\t/srv/a\\tb\\nc\\\\d\t1\t2\n");
  auto h = opsdf::parse_history(kHeader + opsdf::format_sample(odd), "h.tsv");
  REQUIRE(h.samples.size() == 1);
  CHECK(h.samples[0] == odd);
  CHECK(h.warnings.empty());
}

TEST_CASE("history: append creates the file and its directories, read gives the samples back", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "var/lib/ops/df-history.tsv";
  auto first = snapshot("2026-01-30T03:00:00Z", 4000);
  auto second = snapshot("2026-01-31T03:00:00Z", 4400);
  auto r1 = opsdf::append_samples(path, first);
  CHECK(r1.created);
  CHECK(r1.warnings.empty());
  auto r2 = opsdf::append_samples(path, second);
  CHECK_FALSE(r2.created);
  CHECK(r2.warnings.empty());

  std::string text = ops::read_file(path);
  CHECK(text.rfind(kHeader, 0) == 0);
  CHECK(std::count(text.begin(), text.end(), '\n') == 7);
  struct stat st {};
  REQUIRE(::stat((dir.path / "var/lib/ops").c_str(), &st) == 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  CHECK((st.st_mode & 07777) == (0755 & ~mask));

  auto h = opsdf::read_history(path);
  CHECK(h.warnings.empty());
  std::vector<Sample> all = first;
  all.insert(all.end(), second.begin(), second.end());
  CHECK(h.samples == all);
}

TEST_CASE("history: appending nothing creates nothing", "[history]") {
  TempDir dir;
  auto r = opsdf::append_samples(dir.path / "h.tsv", {});
  CHECK_FALSE(r.created);
  CHECK_FALSE(fs::exists(dir.path / "h.tsv"));
}

TEST_CASE("history: a missing file is an exit-3 error with a hint", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "nope.tsv";
  auto e = usage_error([&] { opsdf::read_history(path); });
  CHECK(e.status() == ops::Status::unknown);
  CHECK(std::string(e.what()) == "cannot read history " + path.string() + ": No such file or directory");
  CHECK(e.hint() == "run 'opsdf record' first (e.g. daily from cron)");
}

TEST_CASE("history: an incomplete last line is skipped with a warning", "[history]") {
  std::string text = kHeader + "2026-01-30T03:00:00Z\tfs\t/\t100\t900\n2026-01-31T03:00:00Z\tfs\t/\t1";
  auto h = opsdf::parse_history(text, "h.tsv");
  CHECK(h.samples.size() == 1);
  REQUIRE(h.warnings.size() == 1);
  CHECK(h.warnings[0] ==
        "h.tsv:3: ignoring an incomplete last line (an interrupted write?): '2026-01-31T03:00:00Z\\tfs\\t/\\t1'");

  // Even when it would parse: the cut may have shortened a number.
  auto valid_but_cut = opsdf::parse_history(kHeader + "2026-01-31T03:00:00Z\tfs\t/\t100\t9", "h.tsv");
  CHECK(valid_but_cut.samples.empty());
  CHECK(valid_but_cut.warnings.size() == 1);
}

// Issue 14, item 10: one bad line used to fail every forecast with exit 3.
TEST_CASE("history: a bad line elsewhere is skipped with a warning naming file:line and the value", "[history]") {
  auto warning_for = [](const std::string& line) {
    std::string text = kHeader + "2026-01-30T03:00:00Z\tfs\t/\t100\t900\n" + line + "\n" +
                       "2026-01-31T03:00:00Z\tfs\t/\t200\t800\n";
    auto h = opsdf::parse_history(text, "/var/lib/ops/df-history.tsv");
    CHECK(h.samples.size() == 2);
    REQUIRE(h.warnings.size() == 1);
    return h.warnings[0];
  };
  const std::string at = "/var/lib/ops/df-history.tsv:3: ignoring a bad line: ";
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\tx12\t900") == at + "bad byte count 'x12'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\t12\t-5") == at + "bad byte count '-5'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\t99999999999999999999\t1") ==
        at + "bad byte count '99999999999999999999'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\tnan\t1") == at + "bad byte count 'nan'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\tinf\t1") == at + "bad byte count 'inf'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\t1.5\t1") == at + "bad byte count '1.5'");
  CHECK(warning_for("yesterday\tfs\t/\t1\t1") == at + "bad time 'yesterday'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tdisk\t/\t1\t1") == at + "bad kind 'disk' (expected fs, dir or db)");
  CHECK(warning_for("2026-01-30T04:00:00Z\tfs\t/\t1") ==
        at + "expected 5 tab-separated fields (time, kind, series, used, avail), found 4");
  CHECK(warning_for("2026-01-30T04:00:00Z\tdir\t/a\\x\t1\t1") == at + "bad series name '/a\\x'");
  CHECK(warning_for("2026-01-30T04:00:00Z\tdir\t\t1\t1") == at + "bad series name ''");
}

TEST_CASE("history: several bad lines are each named, the good ones all read", "[history]") {
  std::string text = kHeader + "2026-01-29T03:00:00Z\tfs\t/\t100\t900\n" + "garbage\n" +
                     "2026-01-30T03:00:00Z\tfs\t/\tNaN\t800\n" + "2026-01-31T03:00:00Z\tfs\t/\t300\t700\n" +
                     "2026-02-01T03:00:00Z\tfs\t/\t4";
  auto h = opsdf::parse_history(text, "h.tsv");
  CHECK(h.samples.size() == 2);
  REQUIRE(h.warnings.size() == 3);
  CHECK(h.warnings[0].rfind("h.tsv:3: ignoring a bad line: expected 5 tab-separated fields", 0) == 0);
  CHECK(h.warnings[1] == "h.tsv:4: ignoring a bad line: bad byte count 'NaN'");
  CHECK(h.warnings[2].rfind("h.tsv:6: ignoring an incomplete last line", 0) == 0);
}

// The writer checks each line by the reader's rule: nothing forecast would skip is appended.
TEST_CASE("history: a sample the reader could not read back is not appended", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "h.tsv";
  using namespace std::chrono;
  const ops::SysTime year_10000 = sys_days{year{10000} / January / 1};
  const ops::SysTime year_minus_1 = sys_days{year{-1} / December / 31};
  std::vector<Sample> samples = snapshot("2026-01-31T03:00:00Z", 4000);
  samples.push_back(Sample{year_10000, SeriesKind::fs, "/far", 1, 2});
  samples.push_back(Sample{year_minus_1, SeriesKind::fs, "/past", 1, 2});
  samples.push_back(sample("2026-01-31T03:00:00Z", SeriesKind::db, "", 1, std::nullopt));
  auto r = opsdf::append_samples(path, samples);
  CHECK(r.recorded == 3);
  REQUIRE(r.warnings.size() == 3);
  CHECK(r.warnings[0] ==
        "fs /far: not recorded, the history could not read it back: bad time '10000-01-01T00:00:00Z'");
  CHECK(r.warnings[1] ==
        "fs /past: not recorded, the history could not read it back: bad time '-001-12-31T00:00:00Z'");
  CHECK(r.warnings[2] == "db : not recorded, the history could not read it back: bad series name ''");
  auto h = opsdf::read_history(path);
  CHECK(h.warnings.empty());
  CHECK(h.samples == snapshot("2026-01-31T03:00:00Z", 4000));

  // Nothing recordable: no file.
  auto none = opsdf::append_samples(dir.path / "none.tsv", {Sample{year_10000, SeriesKind::fs, "/", 1, 2}});
  CHECK(none.recorded == 0);
  CHECK(none.warnings.size() == 1);
  CHECK_FALSE(fs::exists(dir.path / "none.tsv"));
}

TEST_CASE("history: header, comments and blank lines", "[history]") {
  auto h = opsdf::parse_history(kHeader + "# a note\n\n2026-01-30T03:00:00Z\tdb\tapp\t5\t\n", "h.tsv");
  REQUIRE(h.samples.size() == 1);
  CHECK_FALSE(h.samples[0].avail);
  CHECK(opsdf::parse_history("", "h.tsv").samples.empty());

  auto e = usage_error([] { opsdf::parse_history("root:x:0:0:root:/root:/bin/bash\n", "/etc/passwd"); });
  CHECK(std::string(e.what()) ==
        "/etc/passwd:1: not an opsdf history: the first line is not 'time\\tkind\\tseries\\tused\\tavail'");
}

TEST_CASE("history: a line of NUL bytes (crash debris) is skipped with a warning", "[history]") {
  std::string text = kHeader + std::string(5, '\0') + "\tfs\t/\t100\t900\n2026-01-31T03:00:00Z\tfs\t/\t200\t800\n";
  auto h = opsdf::parse_history(text, "h.tsv");
  CHECK(h.samples.size() == 1);
  REQUIRE(h.warnings.size() == 1);
  CHECK(h.warnings[0] == "h.tsv:2: ignoring a damaged line (NUL bytes, left by a crash?)");
}

TEST_CASE("history: a run killed mid-write leaves a cut line that the next append removes", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "h.tsv";
  auto first = snapshot("2026-01-30T03:00:00Z", 4000);
  opsdf::append_samples(path, first);
  // What a SIGKILL or power loss in the middle of the write leaves behind.
  append_raw(path, "2026-01-31T03:00:00Z\tfs\t/\t44");

  auto torn = opsdf::read_history(path);
  CHECK(torn.samples == first);
  REQUIRE(torn.warnings.size() == 1);
  CHECK(torn.warnings[0].find(path.string() + ":5: ignoring an incomplete last line") == 0);

  auto second = snapshot("2026-01-31T03:00:00Z", 4400);
  auto r = opsdf::append_samples(path, second);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == path.string() +
                             ": removed an incomplete last line left by an interrupted run (28 bytes: "
                             "'2026-01-31T03:00:00Z\\tfs\\t/\\t44')");
  auto h = opsdf::read_history(path);
  CHECK(h.warnings.empty());
  std::vector<Sample> all = first;
  all.insert(all.end(), second.begin(), second.end());
  CHECK(h.samples == all);
}

TEST_CASE("history: a run killed while writing the header", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "h.tsv";
  { ops::Fd fd = ops::open_file(path, O_WRONLY | O_CREAT, 0644); }
  append_raw(path, "time\tki");
  auto r = opsdf::append_samples(path, snapshot("2026-01-31T03:00:00Z", 4400));
  CHECK(r.created);
  CHECK(r.warnings.size() == 1);
  auto h = opsdf::read_history(path);
  CHECK(h.samples.size() == 3);
  CHECK(h.warnings.empty());
}

TEST_CASE("history: append refuses a file that is not a history and leaves it alone", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "passwd";
  const std::string content = "root:x:0:0:root:/root:/bin/bash\nno newline at the end";
  ops::write_file_atomic(path, content);
  auto e = usage_error([&] { opsdf::append_samples(path, snapshot("2026-01-31T03:00:00Z", 1)); });
  CHECK(e.status() == ops::Status::unknown);
  CHECK(std::string(e.what()).find(path.string() + " is not an opsdf history") == 0);
  CHECK(ops::read_file(path) == content);

  fs::create_directory(dir.path / "d");
  auto d = usage_error([&] { opsdf::append_samples(dir.path / "d", snapshot("2026-01-31T03:00:00Z", 1)); });
  CHECK(d.status() != ops::Status::ok);
}

TEST_CASE("history: concurrent appends never interleave", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "h.tsv";
  constexpr int kWriters = 4, kSnapshots = 40;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int code = 0;
      try {
        for (int i = 0; i < kSnapshots; ++i) {
          std::vector<Sample> snap;
          for (int s = 0; s < 50; ++s)  // big enough to need more than one page
            snap.push_back(sample("2026-01-31T03:00:00Z", SeriesKind::dir,
                                  "/srv/writer" + std::to_string(w) + "/dir" + std::to_string(s), 1000u + i, 5));
          opsdf::append_samples(path, snap);
        }
      } catch (...) {
        code = 1;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  auto h = opsdf::read_history(path);
  CHECK(h.warnings.empty());
  CHECK(h.samples.size() == std::size_t{kWriters * kSnapshots * 50});
}

TEST_CASE("history: the prepared fixtures are valid histories", "[history]") {
  for (const auto& entry : fs::directory_iterator(fs::path(OPS_TEST_FIXTURES_DIR) / "df-history")) {
    std::string name = entry.path().filename().string();
    INFO(name);
    auto h = opsdf::read_history(entry.path());
    CHECK_FALSE(h.samples.empty());
    CHECK(h.warnings.size() == (name == "torn.tsv" || name == "malformed.tsv" ? 1u : 0u));
  }
  auto h = opsdf::read_history(fs::path(OPS_TEST_FIXTURES_DIR) / "df-history/malformed.tsv");
  REQUIRE(h.warnings.size() == 1);
  CHECK(h.warnings[0].find("malformed.tsv:5: ignoring a bad line: bad byte count '5368709I20'") != std::string::npos);
}

TEST_CASE("history: SIGKILL at any point loses at most the snapshot being written", "[history]") {
  TempDir dir;
  fs::path path = dir.path / "h.tsv";
  std::vector<Sample> big;
  for (int s = 0; s < 2000; ++s)
    big.push_back(sample("2026-01-31T03:00:00Z", SeriesKind::dir, "/srv/some/longer/path/" + std::to_string(s),
                         123456789, 987654321));
  for (int round = 0; round < 20; ++round) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      try {
        for (;;) opsdf::append_samples(path, big);
      } catch (...) {
        ::_exit(1);
      }
    }
    ::usleep(static_cast<useconds_t>(2000 + 1500 * round));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    if (!fs::exists(path)) continue;
    auto h = opsdf::read_history(path);  // never an error
    CHECK(h.warnings.size() <= 1);
    auto intact = std::count_if(h.samples.begin(), h.samples.end(),
                                [](const Sample& s) { return s.used == 123456789 || s.series == "/"; });
    CHECK(static_cast<std::size_t>(intact) == h.samples.size());
    opsdf::append_samples(path, {sample("2026-01-31T04:00:00Z", SeriesKind::fs, "/", 1, 2)});
    CHECK(opsdf::read_history(path).warnings.empty());
  }
}
