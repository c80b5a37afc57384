#pragma once
// Whether two connections reach the same catalog, where TableShape::identity
// names one table: the same MySQL server (its databases are schemas of one
// catalog), the same PostgreSQL database, the same SQLite file. --to-db
// reaching the source's own table (under another host name, say) would copy
// each row onto itself. Names prove nothing (localhost and 127.0.0.1), so
// each engine is asked: a lock taken on one connection is seen from the other
// only on the same server (MySQL: GET_LOCK / IS_USED_LOCK; PostgreSQL: an
// advisory lock in pg_locks), and SQLite compares the files' device and inode.

#include <ops/db.hpp>

namespace opsarchive {

bool same_database(ops::db::Connection& a, ops::db::Connection& b);

}  // namespace opsarchive
