// Helpers every unit test file needs: a scoped environment variable, a private
// temporary directory, and whole-file reads and writes. Header-only, test-only.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace ops::test {

namespace fs = std::filesystem;

// Sets (or, with nullptr, unsets) an environment variable for a scope and
// restores what was there before.
class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~EnvGuard() {
    if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// A private temporary directory, removed with everything in it — also the
// subdirectories a test made unreadable on purpose.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "ops-test") {
    std::string tmpl = (fs::temp_directory_path() / (prefix + ".XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    for (auto& e : fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec))
      if (e.is_directory(ec) && !e.is_symlink(ec)) fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

  // Writes `text` to NAME in the directory with the given mode and returns its path.
  fs::path write(const std::string& name, const std::string& text, mode_t mode = 0644) const {
    fs::path p = path_ / name;
    spit(p, text);
    ::chmod(p.c_str(), mode);
    return p;
  }

 private:
  fs::path path_;
};

// TZ set for a scope, with tzset() after setting it and again after putting
// the old value back, so localtime_r follows both.
class TzGuard {
 public:
  explicit TzGuard(const char* tz) : env_("TZ", tz) { ::tzset(); }

 private:
  struct Retzset {
    ~Retzset() { ::tzset(); }
  } retzset_;  // destroyed after env_ has put TZ back
  EnvGuard env_;
};

}  // namespace ops::test
