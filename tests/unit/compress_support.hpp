// What the compression tests share: inputs shaped like a database dump, one-call
// compress and decompress, and running the real gzip/xz/zstd. Test-only.
#pragma once

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <catch2/catch.hpp>

#include "error_support.hpp"
#include "support.hpp"

#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace ops::test {

// INSERT lines like mysqldump's (they compress well) with stretches of random
// bytes between them (which do not). The same seed gives the same bytes.
inline std::string dump_like(std::size_t size, std::uint64_t seed = 1) {
  static const char* const words[] = {"patient", "admission", "discharge", "ward", "note",  "lab",
                                      "result",  "pending",   "closed",    "open", "urgent"};
  std::mt19937_64 rng(seed);
  std::string out;
  out.reserve(size + 8192);
  while (out.size() < size) {
    if (rng() % 256 == 0) {
      std::size_t n = 1 + rng() % 4096;
      for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(rng());
      continue;
    }
    out += "INSERT INTO `cases` VALUES (" + std::to_string(rng() % 1000000) + ",'" + words[rng() % 11] + "','" +
           words[rng() % 11] + "'," + std::to_string(rng() % 100000) + ",'2024-0" + std::to_string(1 + rng() % 9) +
           "-1" + std::to_string(rng() % 10) + "');\n";
  }
  out.resize(size);
  return out;
}

// Web-server access lines (combined format) with varied addresses, paths,
// statuses and agents, like scripts/bench/rotate.sh's logs: about 6:1 with gzip.
inline std::string access_log_like(std::size_t size, std::uint64_t seed = 1) {
  static const char* const methods[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  static const char* const paths[] = {"/", "/index.php", "/api/v1/cases", "/login", "/static/app.js", "/search?q="};
  static const char* const statuses[] = {"200", "200", "200", "304", "302", "404", "500"};
  static const char* const agents[] = {"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "curl/7.88.1",
                                       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Safari/604.1"};
  std::mt19937_64 rng(seed);
  std::string out;
  out.reserve(size + 512);
  for (unsigned t = 0; out.size() < size; t += static_cast<unsigned>(rng() % 3)) {
    out += std::to_string(1 + rng() % 223) + "." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) +
           "." + std::to_string(rng() % 256) + " - - [24/Nov/2026:" + std::to_string(10 + t / 3600 % 14) + ":" +
           std::to_string(10 + t / 60 % 50) + ":" + std::to_string(10 + t % 50) + " +0000] \"" + methods[rng() % 6] +
           " " + paths[rng() % 6] + std::to_string(rng() % 100000) + " HTTP/1.1\" " + statuses[rng() % 7] + " " +
           std::to_string(200 + rng() % 50000) + " \"-\" \"" + agents[rng() % 3] + "\"\n";
  }
  out.resize(size);
  return out;
}

// Writes data in pieces of changing sizes, so block boundaries fall anywhere.
inline std::string compress(std::string_view data, Compression format, int level = -1, unsigned threads = 2) {
  std::string out;
  Compressor c({format, level, threads}, [&](std::string_view bytes) { out.append(bytes); });
  static const std::size_t pieces[] = {1, 1000, 70000, 300000, 4096};
  for (std::size_t i = 0; !data.empty(); ++i) {
    std::size_t n = std::min(data.size(), pieces[i % 5]);
    c.write(data.substr(0, n));
    data.remove_prefix(n);
  }
  c.finish();
  return out;
}

// Decompresses the file at path with decompress_fd.
inline std::string decompress_file(const fs::path& path, std::optional<Compression> format = std::nullopt) {
  Fd fd = open_file(path, O_RDONLY);
  std::string out;
  std::uint64_t n = decompress_fd(fd.get(), path.string(), [&](std::string_view b) { out.append(b); }, format);
  CHECK(n == out.size());
  return out;
}

// Equality without printing megabytes when it fails.
inline bool same_bytes(const std::string& a, const std::string& b) { return a == b; }

// The exit status of a shell command (-1 if it did not exit normally).
inline int run(const std::string& command) {
  int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline bool installed(const char* program) { return ::access(program, X_OK) == 0; }


}  // namespace ops::test
