#include "opsbackup/store/compressed_output.hpp"

namespace opsbackup {

namespace {
constexpr std::size_t kTailBytes = 4096;
}  // namespace

CompressedOutput::CompressedOutput(const std::filesystem::path& destination, const ops::CompressOptions& options)
    : file_(destination, 0600, ops::AtomicFile::Replace::no), compressor_(options, [this](std::string_view out) {
        file_.write(out);
        hash_.update(out);
        size_ += out.size();
      }) {}

void CompressedOutput::write(std::string_view plain) {
  compressor_.write(plain);
  plain_size_ += plain.size();
  if (plain.size() >= kTailBytes) {
    tail_.assign(plain.substr(plain.size() - kTailBytes));
  } else {
    tail_.append(plain);
    if (tail_.size() > kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
  }
}

void CompressedOutput::publish() {
  compressor_.finish();
  sha256_ = hash_.hex_digest();
  file_.commit();
}

bool tail_has_marker(const std::string& tail, const std::string& marker) {
  // The marker is one of the last lines; only blank lines or comments may follow it.
  return !marker.empty() && tail.find(marker) != std::string::npos;
}

}  // namespace opsbackup
