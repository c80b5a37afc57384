// opsdb slow: a statement with its values masked, so that one statement run
// with many values is one line — each case as an application or a server's
// digest writes it.
#include "opsdb/slow/sql_fingerprint.hpp"

#include <catch2/catch.hpp>

#include <string>

using opsdb::SqlDialect;
using opsdb::sql_fingerprint;
using opsdb::sql_one_line;

namespace {
std::string my(std::string_view sql) { return sql_fingerprint(sql, SqlDialect::mysql); }
std::string pg(std::string_view sql) { return sql_fingerprint(sql, SqlDialect::postgresql); }
}  // namespace

TEST_CASE("slow fingerprint: values are masked, blanks and case are one") {
  CHECK(my("SELECT * FROM users WHERE id = 42") == "select * from users where id = ?");
  CHECK(my("select *\n  from users\twhere id=7;") == "select * from users where id = ?");
  CHECK(my("SELECT name FROM t WHERE price > 3.14 AND qty < -2 AND code = 0x1F AND e = 1e-5") ==
        "select name from t where price > ? and qty < ? and code = ? and e = ?");
  // A minus between two values is an operator, not a sign.
  CHECK(my("SELECT a-1, a - 2 FROM t") == "select a - ?, a - ? from t");
  // Digits inside a name are not a value.
  CHECK(my("SELECT c2 FROM t2024 WHERE x1 = 5") == "select c2 from t2024 where x1 = ?");
}

TEST_CASE("slow fingerprint: quoted strings, with each dialect's quoting") {
  CHECK(my("SELECT * FROM t WHERE name = 'O''Brien' AND city = 'it\\'s' AND x = \"dq\"") ==
        "select * from t where name = ? and city = ? and x = ?");
  // PostgreSQL: "" quotes a name, kept as written; a backslash is a plain byte.
  CHECK(pg("SELECT \"Name\" FROM \"Users\" WHERE note = 'a\\' AND n = 1") ==
        "select \"Name\" from \"Users\" where note = ? and n = ?");
  CHECK(pg("SELECT E'it\\'s', N'x', X'ff', B'0101', $$ dollar ' quoted $$, $tag$x$tag$") ==
        "select ?, ?, ?, ?, ?, ?");
  CHECK(pg("SELECT pg_sleep($1) FROM quick_t WHERE a = $2") == "select pg_sleep(?) from quick_t where a = ?");
  // MySQL: `backquoted` names are names, kept quoted when they need it;
  // charset introducers are part of the value; @variables are names.
  CHECK(my("SELECT `Order`.`Id` FROM `Order` WHERE tag = _utf8mb4'x'") == "select order.id from order where tag = ?");
  CHECK(my("SELECT `order id` FROM t") == "select `order id` from t");
  CHECK(my("SELECT @@SESSION.sql_mode, @x := 1") == "select @@session.sql_mode, @x := ?");
}

TEST_CASE("slow fingerprint: comments are dropped") {
  CHECK(my("SELECT /* controller: cart */ id FROM t -- trailing\nWHERE a = 1 # mysql comment") ==
        "select id from t where a = ?");
  CHECK(pg("/* a /* nested */ comment */ SELECT 1 -- x") == "select ?");
  // On MySQL "--" is a comment only before a blank: a--1 is a minus the value -1.
  CHECK(my("SELECT a--1 FROM t") == "select a - ? from t");
}

TEST_CASE("slow fingerprint: lists of values are one (?+)") {
  CHECK(my("SELECT * FROM t WHERE id IN (1, 2, 3)") == "select * from t where id in (?+)");
  CHECK(my("SELECT * FROM t WHERE id IN (7)") == "select * from t where id in (?+)");
  CHECK(pg("SELECT * FROM t WHERE id IN ($1, $2, $3, $4)") == "select * from t where id in (?+)");
  CHECK(my("INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL), (3, 'z')") == "insert into t(a, b) values (?+)");
  CHECK(my("INSERT INTO t VALUES (1, 'x')") == "insert into t values (?+)");
  // A subquery or an expression is not a list of values.
  CHECK(my("SELECT * FROM t WHERE id IN (SELECT id FROM u)") == "select * from t where id in (select id from u)");
  CHECK(my("INSERT INTO t VALUES (1, NOW())") == "insert into t values (?, now())");
  // NULL outside a list is a word: IS NULL stays.
  CHECK(my("SELECT * FROM t WHERE a IS NULL") == "select * from t where a is null");
}

TEST_CASE("slow fingerprint: tokens are spaced by kind") {
  CHECK(pg("SELECT count( * ),x::int,t.a FROM t") == "select count(*), x::int, t.a from t");
  CHECK(my("SELECT a FROM t WHERE (a>=1 AND b<>2) OR c<=>3") == "select a from t where (a >= ? and b <> ?) or c <=> ?");
  // What MariaDB's performance_schema digests look like: the same fingerprint as the statement.
  CHECK(my("SELECT `SLEEP` ( ? ) FROM `slow_t`") == my("select SLEEP(1) from slow_t"));
  CHECK(my("SELECT * FROM `quick_t` WHERE `a` IN (...)") == my("select * from quick_t where a in (1, 2)"));
}

TEST_CASE("slow fingerprint: a huge statement makes a bounded key") {
  std::string insert = "INSERT INTO t VALUES ";
  for (int i = 0; i < 100000; ++i) insert += "(" + std::to_string(i) + ", 'v'),";
  insert.back() = ';';
  const std::string key = my(insert);
  CHECK(key.size() <= opsdb::kFingerprintBytes + 3);
  CHECK(key.starts_with("insert into t values (?+)"));
  std::string long_select = "SELECT " + std::string(10000, 'a');
  CHECK(my(long_select).ends_with("…"));
  // Unterminated quotes and comments end at the end of the text.
  CHECK(my("SELECT 'abc") == "select ?");
  CHECK(my("SELECT 1 /* open") == "select ?");
  CHECK(pg("SELECT $$x") == "select ?");
}

TEST_CASE("slow: a statement on one line of text") {
  CHECK(sql_one_line("SELECT a,\n       b\n  FROM t\n") == "SELECT a, b FROM t");
  CHECK(sql_one_line(std::string(300, 'x'), 100).size() == 100 + std::string("…").size());
  CHECK(sql_one_line("a\x1b[31mb") == "a\\x1b[31mb");
}
