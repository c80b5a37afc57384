#include "opsbackup/db/secret_file.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace opsbackup {

namespace fs = std::filesystem;

SecretFile::SecretFile(const std::string& name, const std::string& content) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = (fs::path(tmp && *tmp ? tmp : "/tmp") / "opsbackup.XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) ops::fail_errno("cannot create a private temporary directory " + tmpl, errno);
  dir_ = tmpl;  // mkdtemp makes it 0700
  path_ = dir_ / name;
  ops::Fd fd(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) {
    int err = errno;
    ::rmdir(dir_.c_str());
    ops::fail_errno("cannot create " + path_.string(), err);
  }
  try {
    ops::write_all(fd.get(), content, path_.string());
    fd.close();
  } catch (...) {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
    throw;
  }
}

SecretFile::~SecretFile() {
  ::unlink(path_.c_str());
  ::rmdir(dir_.c_str());
}

std::string pgpass_line(const std::string& password) {
  std::string line = "*:*:*:*:";
  for (char c : password) {
    if (c == ':' || c == '\\') line += '\\';
    line += c;
  }
  return line + "\n";
}

std::string my_cnf_client(const std::string& password) {
  std::string text = "[client]\npassword=\"";
  for (char c : password) {
    if (c == '"' || c == '\\') text += '\\';
    text += c;
  }
  return text + "\"\n";
}

}  // namespace opsbackup
