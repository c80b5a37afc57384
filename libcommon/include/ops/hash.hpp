#pragma once
// SHA-256 for backup manifests and verification, streaming, via OpenSSL's EVP.

#include <memory>
#include <string>
#include <string_view>

namespace ops {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // Lower-case hex of the digest; the object cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// SHA-256 of a whole file, read in chunks; ops::Error (critical) naming the
// path. Anything but a regular file (a FIFO, a device) is refused as
// ops::open_regular refuses it, at once.
std::string sha256_file(const std::string& path);

}  // namespace ops
