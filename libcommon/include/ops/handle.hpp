#pragma once
// One owner type for every C library object that one function frees
// (PGconn and PQfinish, sqlite3 and sqlite3_close_v2, DIR and closedir …),
// so that no file writes its own deleter struct and nothing is freed by hand.

#include <memory>

namespace ops {

// A unique_ptr deleter that calls `Free` on the pointer it owns (never on
// null: unique_ptr skips that). A result `Free` returns is of no use here:
// an owner that must see a close fail calls the close itself (see Fd).
template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* object) const noexcept {
    Free(object);
  }
};

// Handle<PGconn, PQfinish>: owns a PGconn* and finishes it once.
template <typename T, auto Free>
using Handle = std::unique_ptr<T, Deleter<Free>>;

}  // namespace ops
