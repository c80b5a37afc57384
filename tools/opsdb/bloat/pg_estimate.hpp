#pragma once
// How many pages a PostgreSQL table or B-tree index would take if it held
// only its live rows, from the planner's statistics (pg_class.reltuples,
// pg_stats.avg_width and null_frac) and the page layout: the estimate
// check_postgres's bloat action makes, with the fill factor and the line
// pointers counted too. Apart from the SQL that gathers the figures, so that
// the arithmetic is tested alone.
//
// Its limits, which the man page states: it is as fresh as the last ANALYZE;
// padding between columns of mixed widths is not counted (a few percent);
// a B-tree filled by random inserts settles near 70% full, which reads as
// waste; deduplicated B-tree entries (PostgreSQL 13+) take less room than
// counted, which reads as none.

#include <cstdint>

namespace opsdb {

// Builds in use have 8K blocks and 8-byte alignment (64-bit platforms).
struct PageLayout {
  int block_size = 8192;
  int max_align = 8;
};

struct HeapFigures {
  double live_rows = 0;    // pg_class.reltuples
  double data_width = 0;   // sum over the columns of (1 - null_frac) * avg_width
  int columns = 0;         // attributes, dropped ones too: the null bitmap has a bit each
  bool any_nulls = false;  // some column has null_frac > 0: rows carry a null bitmap
  int fillfactor = 100;
};

struct IndexFigures {
  double entries = 0;      // the index's pg_class.reltuples
  double key_width = 0;    // sum over its columns (INCLUDE ones too) of (1 - null_frac) * avg_width
  bool any_nulls = false;
  int fillfactor = 90;     // B-tree leaf pages
};

// Pages the live rows need.
std::int64_t expected_heap_pages(const HeapFigures& heap, PageLayout layout = {});
// Pages the entries need: leaves, the levels above them and the metapage.
std::int64_t expected_btree_pages(const IndexFigures& index, PageLayout layout = {});

struct Waste {
  std::int64_t bytes = 0;  // never negative: fewer pages than expected is none
  double percent = 0;      // of the actual pages
};
Waste waste_of(std::int64_t actual_pages, std::int64_t expected_pages, PageLayout layout = {});

}  // namespace opsdb
