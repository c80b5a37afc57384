#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/handle.hpp>
#include <ops/hash.hpp>

#include <cerrno>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdexcept>
#include <unistd.h>

namespace ops {

struct Sha256::Impl {
  Handle<EVP_MD_CTX, EVP_MD_CTX_free> ctx{EVP_MD_CTX_new()};
  std::string digest;  // set by hex_digest(); the context is finalized then
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx.get(), EVP_sha256(), nullptr) != 1)
    fail("cannot start a SHA-256 digest (OpenSSL)");
}

// Out of line, where Impl is complete.
Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
  if (!impl_->digest.empty()) throw std::logic_error("Sha256::update after hex_digest");
  if (EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) != 1) fail("SHA-256 update failed (OpenSSL)");
}

std::string Sha256::hex_digest() {
  if (!impl_->digest.empty()) return impl_->digest;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), md, &length) != 1) fail("SHA-256 final failed (OpenSSL)");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += digits[md[i] >> 4];
    hex += digits[md[i] & 0xf];
  }
  impl_->digest = hex;
  return hex;
}

std::string sha256_file(const std::string& path) {
  Fd fd = open_regular(path);  // a FIFO is refused, not waited on
  Sha256 sha;
  read_chunks(fd.get(), path, [&](std::string_view chunk) { sha.update(chunk); }, 1024 * 1024);
  return sha.hex_digest();
}

}  // namespace ops
