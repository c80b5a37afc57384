#pragma once
// The parallel walk of one directory root, for scan_du (du_scan.cpp).

#include "opsdf/du/du_scan.hpp"
#include "opsdf/du/du_support.hpp"

#include <ops/fs.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace opsdf::du {

// What every root of one scan_du call shares.
struct ScanShared {
  const DuOptions& options;
  Excluder excluder;
  SeenInodes seen;
  unsigned threads;
  unsigned max_open_dirs;

  explicit ScanShared(const DuOptions& o);
  std::uint64_t size_of(std::uint64_t blocks, std::uint64_t size) const noexcept {
    return options.apparent_size ? size : blocks * 512;
  }
};

// Walks the directory open as root_fd (result.root is its path; dev its
// st_dev; own_bytes its own size) and fills result's totals and largest
// entries. Problems in the tree are appended to errors (unsorted).
void walk_root(ScanShared& shared, ops::Fd root_fd, std::uint64_t dev, std::uint64_t own_bytes,
               DuResult& result, std::vector<std::string>& errors);

}  // namespace opsdf::du
