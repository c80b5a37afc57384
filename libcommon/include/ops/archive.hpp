#pragma once
// Owners for libarchive's handles (opsbackup's backups, opsarchive's tars),
// and the one way to turn a libarchive failure into an ops::Error that says
// what failed and why.

#include <archive.h>
#include <archive_entry.h>

#include <locale.h>
#include <memory>
#include <string>

namespace ops {

struct ArchiveReadFree {
  void operator()(archive* a) const noexcept { archive_read_free(a); }
};
struct ArchiveWriteFree {
  void operator()(archive* a) const noexcept { archive_write_free(a); }
};
struct ArchiveEntryFree {
  void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};
struct LinkResolverFree {
  void operator()(archive_entry_linkresolver* r) const noexcept { archive_entry_linkresolver_free(r); }
};

// archive_read_new() and archive_read_disk_new() are both freed by archive_read_free().
using ArchiveReader = std::unique_ptr<archive, ArchiveReadFree>;
// archive_write_new() and archive_write_disk_new().
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteFree>;
using ArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryFree>;
using LinkResolver = std::unique_ptr<archive_entry_linkresolver, LinkResolverFree>;

// libarchive's own message for the last failure on `a` ("Truncated tar archive").
std::string archive_message(archive* a);
// Throws ops::Error (critical) "<what>: <libarchive's message>" unless rc is
// ARCHIVE_OK or ARCHIVE_WARN.
void check_archive(archive* a, int rc, const std::string& what);

// Names in archives are UTF-8, as Linux file names are by convention. Under
// the C locale (cron's) libarchive would mark every non-ASCII name as binary
// ("hdrcharset", which GNU tar does not know); this makes the calling thread
// use C.UTF-8 for the object's lifetime.
class Utf8Names {
 public:
  Utf8Names();
  ~Utf8Names();
  Utf8Names(const Utf8Names&) = delete;
  Utf8Names& operator=(const Utf8Names&) = delete;

 private:
  locale_t utf8_ = nullptr;
  locale_t old_ = nullptr;
};

// "libarchive 3.6.2", for manifests.
std::string libarchive_version();

}  // namespace ops
