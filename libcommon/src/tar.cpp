#include <ops/tar.hpp>

#include <ops/error.hpp>

namespace ops {

std::string archive_message(archive* a) {
  const char* text = archive_error_string(a);
  if (text && *text) return text;
  const int err = archive_errno(a);
  return err > 0 ? errno_text(err) : "unknown libarchive error";
}

void check_archive(archive* a, int rc, const std::string& what) {
  if (rc == ARCHIVE_OK || rc == ARCHIVE_WARN) return;
  fail(what + ": " + archive_message(a));
}

Utf8Names::Utf8Names() {
  utf8_ = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  if (utf8_) old_ = ::uselocale(utf8_);  // without C.UTF-8, names are stored as they are
}

Utf8Names::~Utf8Names() {
  if (!utf8_) return;
  ::uselocale(old_);
  ::freelocale(utf8_);
}

std::string libarchive_version() { return archive_version_string(); }

}  // namespace ops
