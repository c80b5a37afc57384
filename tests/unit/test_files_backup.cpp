// opsbackup files: reading a file that changes under us, --exclude, and the
// restore's rule for entry names, symlinks and hard links.
#include "opsbackup/files/entry_paths.hpp"
#include "opsbackup/files/file_copy.hpp"
#include "opsbackup/files/files_archive.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

using opsbackup::copy_file_data;
using opsbackup::CopyOutcome;
using opsbackup::is_excluded;
using opsbackup::unsafe_entry_name;
using ops::test::TempDir;

namespace {

constexpr std::size_t kBig = 600 * 1024;  // more than one read of copy_file_data

struct Opened {
  int fd;
  struct stat st;
  explicit Opened(const std::filesystem::path& p) : fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC)), st{} {
    REQUIRE(fd >= 0);
    REQUIRE(::fstat(fd, &st) == 0);
  }
  ~Opened() { ::close(fd); }
  Opened(const Opened&) = delete;
  Opened& operator=(const Opened&) = delete;
};

// Copies `file` while `change` runs once, after the first chunk arrived.
template <typename Change>
CopyOutcome copy_changing(const std::filesystem::path& file, std::string& copied, Change change) {
  Opened in(file);
  bool changed = false;
  return copy_file_data(in.fd, in.st, file.string(), [&](std::string_view chunk) {
    copied.append(chunk);
    if (!changed) {
      changed = true;
      change();
    }
  });
}

}  // namespace

TEST_CASE("copy_file_data: a file left alone is copied exactly and unchanged", "[files_backup]") {
  TempDir dir;
  const auto file = dir.path() / "f";
  const std::string content(kBig, 'a');
  ops::test::spit(file, content);
  std::string copied;
  auto outcome = copy_changing(file, copied, [] {});
  CHECK_FALSE(outcome.changed);
  CHECK(copied == content);
}

TEST_CASE("copy_file_data: a file that grows is cut at the promised size and reported", "[files_backup]") {
  TempDir dir;
  const auto file = dir.path() / "f";
  ops::test::spit(file, std::string(kBig, 'a'));
  std::string copied;
  auto outcome = copy_changing(file, copied, [&] {
    int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, "more", 4) == 4);
    ::close(fd);
  });
  CHECK(outcome.changed);
  CHECK(outcome.why == "it grew from 614400 to 614404 bytes while being read");
  CHECK(copied == std::string(kBig, 'a'));
}

TEST_CASE("copy_file_data: a file that shrinks is padded with zeros to the promised size", "[files_backup]") {
  TempDir dir;
  const auto file = dir.path() / "f";
  ops::test::spit(file, std::string(kBig, 'a'));
  std::string copied;
  auto outcome = copy_changing(file, copied, [&] { REQUIRE(::truncate(file.c_str(), 1000) == 0); });
  CHECK(outcome.changed);
  CHECK(outcome.why.starts_with("it shrank from 614400 to "));
  REQUIRE(copied.size() == kBig);  // what the tar header promised, so the archive stays valid
  CHECK(copied.find_first_not_of('a') != std::string::npos);
  CHECK(copied.substr(copied.find_last_not_of('\0') + 1) == std::string(kBig - copied.find_last_not_of('\0') - 1, '\0'));
}

TEST_CASE("copy_file_data: a file rewritten in place (same size, new mtime) is reported", "[files_backup]") {
  TempDir dir;
  const auto file = dir.path() / "f";
  ops::test::spit(file, std::string(kBig, 'a'));
  struct timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, file.c_str(), old_times, 0) == 0);
  std::string copied;
  auto outcome = copy_changing(file, copied, [&] {
    int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(::pwrite(fd, "b", 1, 0) == 1);  // mtime becomes now
    ::close(fd);
  });
  CHECK(outcome.changed);
  CHECK(outcome.why == "it was modified while being read");
  CHECK(copied.size() == kBig);
}

TEST_CASE("copy_file_data: an empty file is copied as nothing", "[files_backup]") {
  TempDir dir;
  const auto file = dir.path() / "empty";
  ops::test::spit(file, "");
  std::string copied;
  auto outcome = copy_changing(file, copied, [] {});
  CHECK_FALSE(outcome.changed);
  CHECK(copied.empty());
}

TEST_CASE("is_excluded: globs match the archive name, the path inside the source or the name", "[files_backup]") {
  const std::vector<std::string> globs{"*.tmp", "cache", "uploads/private/*"};
  CHECK(is_excluded(globs, "uploads/a/b.tmp", "a/b.tmp", "b.tmp"));
  CHECK(is_excluded(globs, "uploads/x/cache", "x/cache", "cache"));
  CHECK(is_excluded(globs, "uploads/private/key", "private/key", "key"));
  CHECK_FALSE(is_excluded(globs, "uploads/a/b.tmpx", "a/b.tmpx", "b.tmpx"));
  CHECK_FALSE(is_excluded(globs, "uploads/cached", "cached", "cached"));
  CHECK_FALSE(is_excluded({}, "uploads/a", "a", "a"));
  CHECK(is_excluded({"a/*"}, "uploads/a/b", "a/b", "b"));  // relative to the source
}

TEST_CASE("unsafe_entry_name: absolute names and \"..\" are refused", "[files_backup]") {
  CHECK(unsafe_entry_name("uploads/a.txt").empty());
  CHECK(unsafe_entry_name("uploads/..hidden").empty());
  CHECK(unsafe_entry_name("./uploads/a").empty());
  CHECK(unsafe_entry_name("../evil") == "a name with \"..\"");
  CHECK(unsafe_entry_name("uploads/../../evil") == "a name with \"..\"");
  CHECK(unsafe_entry_name("uploads/..") == "a name with \"..\"");
  CHECK(unsafe_entry_name("/etc/passwd") == "an absolute name");
  CHECK(unsafe_entry_name("") == "an empty name");
}

namespace {

// entry_refusal against the archive's own earlier entries, as a dry run judges.
struct Judge {
  opsbackup::ArchiveTree tree;
  std::string operator()(const std::string& name, opsbackup::Node kind, const std::string& hardlink = {}) {
    opsbackup::EntryAsk ask{name, kind, hardlink};
    auto why = opsbackup::entry_refusal(ask, [&](const std::string& p) { return tree.at(p); });
    if (why.empty()) tree.add(ask);
    return why;
  }
};

}  // namespace

TEST_CASE("entry_refusal: symlinks are data, whatever their target; nothing goes through one", "[files_backup]") {
  using opsbackup::Node;
  Judge judge;
  CHECK(judge("app/", Node::directory).empty());
  CHECK(judge("app/current", Node::symlink).empty());  // -> /var/www/app/releases/r1
  CHECK(judge("app/up", Node::symlink).empty());       // -> ../x
  CHECK(judge("app/releases/r1/index.php", Node::other).empty());  // parents implied
  CHECK(judge("app/releases/", Node::directory).empty());           // named after its content
  CHECK(judge("./app/./releases/r1/b", Node::other).empty());
  CHECK(judge("app/current/x", Node::other) == "the way to it passes through the symlink app/current");
  CHECK(judge("app/current/d/", Node::directory) == "the way to it passes through the symlink app/current");
  CHECK(judge("app/current", Node::other) == "an earlier entry has this name: one is never replaced by another");
  CHECK(judge("app/current", Node::directory) == "an earlier entry has this name: one is never replaced by another");
  CHECK(judge("app/releases/r1/index.php/x", Node::other) ==
        "the way to it passes through app/releases/r1/index.php, not a directory");
  CHECK(judge("app//releases", Node::directory).empty());  // a directory may be named twice
  CHECK(judge("../x", Node::other) == "a name with \"..\"");
  CHECK(judge("/etc/x", Node::symlink) == "an absolute name");
  CHECK(judge(".", Node::directory).empty());
  CHECK(judge("./", Node::other) == "names the restore directory");
}

TEST_CASE("entry_refusal: hard links only to what an earlier entry restored, never through a link", "[files_backup]") {
  using opsbackup::Node;
  Judge judge;
  CHECK(judge("a/file", Node::other).empty());
  CHECK(judge("a/link", Node::symlink).empty());
  CHECK(judge("a/dir/", Node::directory).empty());
  CHECK(judge("b/hard", Node::other, "a/file").empty());
  CHECK(judge("b/hard-to-link", Node::other, "a/link").empty());  // a hard link to the symlink itself
  CHECK(judge("b/hard-to-link/x", Node::other) == "the way to it passes through the symlink b/hard-to-link");
  CHECK(judge("b/h1", Node::other, "../../etc/passwd") == "a hard link to a name with \"..\"");
  CHECK(judge("b/h2", Node::other, "/etc/passwd") == "a hard link to an absolute name");
  CHECK(judge("b/h3", Node::other, "a/link/passwd") ==
        "a hard link to a/link/passwd, and the way to it passes through the symlink a/link");
  CHECK(judge("b/h4", Node::other, "a/missing") == "a hard link to a/missing, which no earlier entry restored");
  CHECK(judge("b/h5", Node::other, "a/dir") == "a hard link to the directory a/dir");
  CHECK(judge("b/hard", Node::other, "a/file") == "an earlier entry has this name: one is never replaced by another");
}
