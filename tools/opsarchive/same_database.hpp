#pragma once
// Whether two connections reach the same database: --to-db naming the
// source's own database (under another host name, say) with the same table
// would "copy" each row onto itself, find it there already, and delete it.
// Names prove nothing (localhost and 127.0.0.1), so each engine is asked:
// a lock taken on one connection is seen from the other only on the same
// server (MySQL: GET_LOCK / IS_USED_LOCK; PostgreSQL: an advisory lock in
// pg_locks), and SQLite compares the files' device and inode.

#include <ops/db.hpp>

namespace opsarchive {

bool same_database(ops::db::Connection& a, ops::db::Connection& b);

}  // namespace opsarchive
