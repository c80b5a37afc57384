#include "opsaudit/logins/journal_source.hpp"

#include <ops/error.hpp>
#include <ops/handle.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>
#include <system_error>

namespace opsaudit {

namespace fs = std::filesystem;

namespace {

// Where journald keeps the system's journal: volatile, then persistent.
constexpr std::array<const char*, 2> kJournalRoots{"/run/log/journal", "/var/log/journal"};

// The programs whose lines are authentication events. PAM modules
// (pam_unix, pam_faillock…) log through the process that loaded them, so
// their lines carry that program's identifier: "sshd[812]:
// pam_unix(sshd:auth): authentication failure; …", "sudo[90]:
// pam_unix(sudo:auth): …". sshd-session is OpenSSH 9.8+'s per-connection
// process; sshd-auth is OpenSSH 10's pre-authentication one (it logs through
// sshd-session today, listed so that a build that does not still counts).
constexpr std::array<std::string_view, 5> kPrograms{"sshd", "sshd-session", "sshd-auth", "sudo", "su"};

using Journal = ops::Handle<sd_journal, sd_journal_close>;

// The system journal files under the roots (system.journal and its archived
// system@….journal, not the users' own user-1000.journal).
std::vector<fs::path> system_journal_files() {
  std::vector<fs::path> files;
  for (const char* root : kJournalRoots) {
    std::error_code ec;
    for (fs::directory_iterator machine(root, ec), end; !ec && machine != end; machine.increment(ec)) {
      std::error_code inner;
      for (fs::directory_iterator file(machine->path(), inner), last; !inner && file != last;
           file.increment(inner)) {
        std::string name = file->path().filename().string();
        if (name.starts_with("system") && name.ends_with(".journal")) files.push_back(file->path());
      }
    }
  }
  return files;
}

// The value of FIELD= of the current entry, or nullopt when the entry has
// none. The bytes are copied: sd_journal_get_data's pointer lasts only until
// its next call, and MESSAGE may be a blob holding NULs or non-UTF-8 bytes,
// which a string carries as they are.
bool field(sd_journal* journal, std::string_view name, std::string& value) {
  const void* data = nullptr;
  size_t length = 0;
  std::string key = std::string(name);
  if (sd_journal_get_data(journal, key.c_str(), &data, &length) < 0) return false;
  std::string_view text(static_cast<const char*>(data), length);
  // "NAME=value": the prefix is always there, checked rather than trusted.
  if (text.size() <= name.size() || text.substr(0, name.size()) != name || text[name.size()] != '=') return false;
  value.assign(text.substr(name.size() + 1));
  return true;
}

// sd-journal's errors in the words of the case: EBADMSG says "Bad message"
// for a file that is no journal, ENODATA "No data available" for an empty or
// truncated one.
std::string journal_error(int err) {
  switch (err) {
    case EBADMSG: return "not a journal file, or a damaged one";
    case ENODATA: return "empty, or cut short before its header ends";
    case EPROTONOSUPPORT: return "written in a journal format this libsystemd cannot read";
    default: return ops::errno_text(err);
  }
}

std::string journal_name(const std::optional<fs::path>& file) {
  return file ? fmt::format("journal file '{}'", ops::shown(file->string())) : std::string("the system journal");
}

Journal open_journal(const std::optional<fs::path>& file) {
  sd_journal* raw = nullptr;
  int rc = 0;
  if (file) {
    // A directory or a FIFO is refused here, before sd-journal maps it.
    std::error_code ec;
    fs::file_status status = fs::status(*file, ec);
    if (ec) ops::fail(fmt::format("cannot read {}: {}", journal_name(file), ec.message()));
    if (!fs::is_regular_file(status)) ops::fail(fmt::format("cannot read {}: not a regular file", journal_name(file)));
    std::string path = file->string();
    const char* paths[] = {path.c_str(), nullptr};
    rc = sd_journal_open_files(&raw, paths, 0);
  } else {
    // sd-journal passes over the files it may not read without a word and
    // shows the caller's own journal only: an audit that found nothing
    // because it could not look must say so instead.
    const std::vector<fs::path> files = system_journal_files();
    // Opening no file succeeds and reads nothing: a host without a journal
    // (journald off, or a container) must not pass for one without logins.
    if (files.empty())
      ops::fail("cannot read the system journal: /run/log/journal and /var/log/journal hold no system journal file");
    for (const fs::path& path : files)
      if (::access(path.c_str(), R_OK) != 0)
        ops::fail(fmt::format("cannot read the system journal: '{}': {} (run as root, or as a member of the group "
                              "systemd-journal or adm)",
                              ops::shown(path.string()), ops::errno_text(errno)));
    rc = sd_journal_open(&raw, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
  }
  if (rc < 0) ops::fail(fmt::format("cannot open {}: {}", journal_name(file), journal_error(-rc)));
  return Journal(raw);
}

void add_matches(sd_journal* journal, const std::optional<fs::path>& file) {
  for (std::string_view program : kPrograms) {
    std::string match = fmt::format("SYSLOG_IDENTIFIER={}", program);
    int rc = sd_journal_add_match(journal, match.data(), match.size());
    if (rc < 0) ops::fail(fmt::format("cannot read {}: {}", journal_name(file), journal_error(-rc)));
  }
}

}  // namespace

bool system_journal_present() { return !system_journal_files().empty(); }

void read_journal(const std::optional<fs::path>& file, ops::SysTime since,
                  const std::function<void(const AuthLine&)>& each) {
  Journal journal = open_journal(file);
  add_matches(journal.get(), file);
  auto since_usec = std::chrono::duration_cast<std::chrono::microseconds>(since.time_since_epoch()).count();
  uint64_t from = since_usec < 0 ? 0 : static_cast<uint64_t>(since_usec);
  int rc = sd_journal_seek_realtime_usec(journal.get(), from);
  if (rc < 0) ops::fail(fmt::format("cannot read {}: {}", journal_name(file), journal_error(-rc)));

  std::string program, pid, message;
  while ((rc = sd_journal_next(journal.get())) > 0) {
    uint64_t usec = 0;
    // An entry without a time cannot be placed in the period: passed over.
    if (sd_journal_get_realtime_usec(journal.get(), &usec) < 0) continue;
    // Entries of several files are interleaved by time, but a clock set back
    // may put an older one after the seek point.
    if (usec < from) continue;
    if (!field(journal.get(), "SYSLOG_IDENTIFIER", program)) continue;
    if (!field(journal.get(), "_PID", pid) && !field(journal.get(), "SYSLOG_PID", pid)) pid.clear();
    if (!field(journal.get(), "MESSAGE", message)) message.clear();
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::microseconds(usec));
    each(AuthLine{ops::SysTime(seconds), program, pid, message});
  }
  // The entries handed over so far were read; the audit of a journal that
  // stopped half-way is still not one of the whole period.
  if (rc < 0)
    ops::fail(fmt::format("cannot read {}: {}", journal_name(file), journal_error(-rc)));
}

}  // namespace opsaudit
