#pragma once
// A transaction on the source that rolls back unless committed. SQLite takes
// its write lock at BEGIN IMMEDIATE, where other engines lock the rows with
// SELECT … FOR UPDATE; so on every engine a batch's rows stay as they were
// selected until the commit, and a reader that locks them waits for a
// transaction still finishing (a run killed during its COMMIT).

#include <ops/db.hpp>

namespace opsarchive {

class SourceTransaction {
 public:
  explicit SourceTransaction(ops::db::Connection& db) : db_(db) {
    if (db_.engine() == ops::db::Engine::sqlite) db_.execute("BEGIN IMMEDIATE");
    else db_.begin();
  }
  SourceTransaction(const SourceTransaction&) = delete;
  SourceTransaction& operator=(const SourceTransaction&) = delete;
  ~SourceTransaction() {
    if (!open_) return;
    try {
      db_.rollback();
    } catch (...) {
      // The server rolls back when the session ends.
    }
  }
  void commit() {
    open_ = false;
    db_.commit();
  }
  void rollback() {
    open_ = false;
    db_.rollback();
  }

 private:
  ops::db::Connection& db_;
  bool open_ = true;
};

}  // namespace opsarchive
