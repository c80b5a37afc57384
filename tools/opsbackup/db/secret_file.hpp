#pragma once
// A password handed to a child dumper through a file only we can read: a 0600
// file in a fresh 0700 directory, removed (with the directory) when the object
// goes. Never argv (visible in ps) and never the environment of a long-lived
// process.

#include <filesystem>
#include <string>

namespace opsbackup {

class SecretFile {
 public:
  // Writes `content` to NAME in a new private directory under $TMPDIR (or /tmp).
  SecretFile(const std::string& name, const std::string& content);
  ~SecretFile();
  SecretFile(const SecretFile&) = delete;
  SecretFile& operator=(const SecretFile&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

// "*:*:*:*:password" with ':' and '\' escaped, for PGPASSFILE.
std::string pgpass_line(const std::string& password);
// "[client]\npassword=\"…\"\n" with '"' and '\' escaped, for --defaults-extra-file.
std::string my_cnf_client(const std::string& password);

}  // namespace opsbackup
