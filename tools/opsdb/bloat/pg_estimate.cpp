// The page arithmetic of pg_estimate.hpp. The sizes are PostgreSQL's
// structures: a page header of 24 bytes, a 4-byte line pointer per tuple, a
// heap tuple header of 23 bytes plus its null bitmap, an index tuple header
// of 8 bytes (16 with its null bitmap), a B-tree page's 16-byte special space.
#include "opsdb/bloat/pg_estimate.hpp"

#include <algorithm>
#include <cmath>

namespace opsdb {

namespace {

constexpr double kPageHeader = 24;
constexpr double kLinePointer = 4;
constexpr double kHeapTupleHeader = 23;
constexpr double kIndexTupleHeader = 8;
constexpr double kIndexNullBitmap = 4;
constexpr double kBtreeSpecial = 16;

double align(double bytes, int to) { return std::ceil(bytes / to) * to; }

// Whole tuples fit on a page (none is split across two), at least one.
double per_page(double usable, double tuple) { return std::max(1.0, std::floor(usable / tuple)); }

}  // namespace

std::int64_t expected_heap_pages(const HeapFigures& heap, PageLayout layout) {
  if (heap.live_rows <= 0) return 0;
  const double bitmap = heap.any_nulls ? std::ceil(heap.columns / 8.0) : 0;
  const double header = align(kHeapTupleHeader + bitmap, layout.max_align);
  const double tuple = align(header + heap.data_width, layout.max_align) + kLinePointer;
  // PostgreSQL stops adding rows to a page once it is fillfactor% full.
  const double usable = layout.block_size * heap.fillfactor / 100.0 - kPageHeader;
  // A page holds at most as many tuples as it has room for empty ones.
  const double empty_tuple = align(kHeapTupleHeader, layout.max_align) + kLinePointer;
  const double most = std::floor((layout.block_size - kPageHeader) / empty_tuple);
  return static_cast<std::int64_t>(std::ceil(heap.live_rows / std::min(per_page(usable, tuple), most)));
}

std::int64_t expected_btree_pages(const IndexFigures& index, PageLayout layout) {
  const double header =
      index.any_nulls ? align(kIndexTupleHeader + kIndexNullBitmap, layout.max_align) : kIndexTupleHeader;
  const double tuple = align(header + index.key_width, layout.max_align) + kLinePointer;
  const double page = layout.block_size - kPageHeader - kBtreeSpecial;
  double level = std::ceil(std::max(index.entries, 0.0) / per_page(page * index.fillfactor / 100.0, tuple));
  double pages = 1 + std::max(level, 1.0);  // the metapage, and a root leaf in an empty index
  // Each level above holds a downlink per page of the one below; upper
  // levels are filled to 70% by a build.
  while (level > 1) {
    level = std::ceil(level / per_page(page * 0.70, tuple));
    pages += level;
  }
  return static_cast<std::int64_t>(pages);
}

Waste waste_of(std::int64_t actual_pages, std::int64_t expected_pages, PageLayout layout) {
  Waste w;
  if (actual_pages <= 0 || expected_pages >= actual_pages) return w;
  const std::int64_t extra = actual_pages - expected_pages;
  w.bytes = extra * layout.block_size;
  w.percent = 100.0 * static_cast<double>(extra) / static_cast<double>(actual_pages);
  return w;
}

}  // namespace opsdb
