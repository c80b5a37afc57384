// The SQL text opsarchive builds: the cut-off fixed in a --where clause, and
// the batch statements of each engine (keyset, key lists, idempotent inserts).
#include "opsarchive/rows/batch_sql.hpp"
#include "opsarchive/rows/frozen_now.hpp"
#include "opsarchive/rows/pause_value.hpp"

#include <ops/error.hpp>

#include <catch2/catch.hpp>

using namespace opsarchive;
using ops::db::Engine;

namespace {

const StartTime kStart{"2026-12-02 12:00:00+00", "2026-12-02 12:00:00", "2026-12-02", "12:00:00+00", "12:00:00"};

BatchSql batch(Engine e, std::vector<std::string> key) {
  BatchSql s;
  s.engine = e;
  s.table = "t";
  s.key = std::move(key);
  s.columns = {"a", "b", "c"};
  s.where = "x < 5";
  return s;
}

}  // namespace

TEST_CASE("freeze_now replaces PostgreSQL's now-functions, not strings, identifiers or comments") {
  CHECK(freeze_now(Engine::postgresql, "created_at < now() - interval '90 days'", kStart) ==
        "created_at < '2026-12-02 12:00:00+00'::timestamptz - interval '90 days'");
  CHECK(freeze_now(Engine::postgresql, "d < CURRENT_DATE AND t < current_timestamp(3) AND l < LocalTimestamp", kStart) ==
        "d < '2026-12-02'::date AND t < '2026-12-02 12:00:00+00'::timestamptz AND l < '2026-12-02 12:00:00'::timestamp");
  CHECK(freeze_now(Engine::postgresql, "a < NOW ( )", kStart) == "a < '2026-12-02 12:00:00+00'::timestamptz");
  // Untouched: a string, a quoted identifier, a comment, a column named now, a qualified name.
  const std::string kept = "note = 'now()' AND \"now\" > 1 AND now_col = 2 /* now() */ AND t.current_date = 3 -- now()";
  bool changed = true;
  CHECK(freeze_now(Engine::postgresql, kept, kStart, &changed) == kept);
  CHECK_FALSE(changed);
  CHECK(freeze_now(Engine::postgresql, "body = $$now()$$ AND a < now()", kStart) ==
        "body = $$now()$$ AND a < '2026-12-02 12:00:00+00'::timestamptz");
}

TEST_CASE("freeze_now replaces SQLite's 'now' and CURRENT_* but no other string") {
  bool changed = false;
  CHECK(freeze_now(Engine::sqlite, "created_at < datetime('now', '-90 days')", kStart, &changed) ==
        "created_at < datetime('2026-12-02 12:00:00', '-90 days')");
  CHECK(changed);
  CHECK(freeze_now(Engine::sqlite, "d < CURRENT_DATE AND s = 'nowhere' AND w = 'it''s now'", kStart) ==
        "d < '2026-12-02' AND s = 'nowhere' AND w = 'it''s now'");
}

TEST_CASE("freeze_now leaves MySQL to SET TIMESTAMP and refuses SYSDATE()") {
  CHECK(freeze_now(Engine::mysql, "created_at < NOW() - INTERVAL 90 DAY", kStart) == "created_at < NOW() - INTERVAL 90 DAY");
  CHECK(freeze_now(Engine::mysql, "note = 'sysdate()' AND `sysdate` = 1", kStart) == "note = 'sysdate()' AND `sysdate` = 1");
  CHECK(freeze_now(Engine::mysql, "note = 'it\\'s sysdate()'", kStart) == "note = 'it\\'s sysdate()'");
  try {
    freeze_now(Engine::mysql, "created_at < SYSDATE() - INTERVAL 1 DAY", kStart);
    FAIL("SYSDATE() was accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    CHECK(std::string(e.what()).find("SYSDATE()") != std::string::npos);
  }
}

TEST_CASE("batch statements walk the key and name rows by key list") {
  const BatchSql pg = batch(Engine::postgresql, {"\"id\""});
  CHECK(pg.select(false, false, 1000, true) == "SELECT \"id\" FROM t WHERE (x < 5) ORDER BY \"id\" LIMIT 1000 FOR UPDATE");
  CHECK(pg.select(true, true, 10, true) == "SELECT a, b, c FROM t WHERE (x < 5) AND \"id\" > $1 ORDER BY \"id\" LIMIT 10 FOR UPDATE");
  CHECK(pg.delete_keys(3) == "DELETE FROM t WHERE \"id\" IN ($1, $2, $3)");
  CHECK(pg.insert_select("t_archive", {"a", "b"}, 2) ==
        "INSERT INTO t_archive (a, b) SELECT a, b FROM t WHERE \"id\" IN ($1, $2)");

  const BatchSql lite = batch(Engine::sqlite, {"k1", "k2"});
  CHECK(lite.select(false, true, 5, true) == "SELECT k1, k2 FROM t WHERE (x < 5) AND (k1, k2) > (?, ?) ORDER BY k1, k2 LIMIT 5");
  CHECK(lite.delete_keys(2) == "DELETE FROM t WHERE (k1, k2) IN (VALUES (?, ?), (?, ?))");

  const BatchSql pg2 = batch(Engine::postgresql, {"k1", "k2"});
  CHECK(pg2.delete_keys(2) == "DELETE FROM t WHERE (k1, k2) IN (($1, $2), ($3, $4))");
  CHECK(pg2.after_last_order() == std::vector<std::size_t>{0, 1});
}

TEST_CASE("MySQL's composite keyset is spelled out, each value bound per use") {
  const BatchSql my = batch(Engine::mysql, {"a", "b", "c"});
  CHECK(my.select(false, true, 100, true) ==
        "SELECT a, b, c FROM t WHERE (x < 5) AND (a > ? OR (a = ? AND (b > ? OR (b = ? AND (c > ?))))) "
        "ORDER BY a, b, c LIMIT 100 FOR UPDATE");
  CHECK(my.after_last_order() == std::vector<std::size_t>{0, 0, 1, 1, 2});
  CHECK(batch(Engine::mysql, {"id"}).after_last_order() == std::vector<std::size_t>{0});
}

TEST_CASE("on MariaDB one statement selects, locks and copies a batch and returns its keys") {
  const BatchSql my = batch(Engine::mysql, {"a", "b"});
  CHECK(my.insert_next_batch("t_archive", {"a", "b", "c"}, true, 100) ==
        "INSERT INTO t_archive (a, b, c) SELECT a, b, c FROM t WHERE (x < 5) AND (a > ? OR (a = ? AND (b > ?))) "
        "ORDER BY a, b LIMIT 100 FOR UPDATE RETURNING a, b");
  CHECK(batch(Engine::mysql, {"id"}).insert_next_batch("d", {"id", "v"}, false, 5) ==
        "INSERT INTO d (id, v) SELECT id, v FROM t WHERE (x < 5) ORDER BY id LIMIT 5 FOR UPDATE RETURNING id");
}

TEST_CASE("idempotent inserts skip only a key that is already there") {
  CHECK(insert_values(Engine::postgresql, "d", {"a", "b"}, 2, true, "a") ==
        "INSERT INTO d (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING");
  CHECK(insert_values(Engine::mysql, "d", {"a"}, 1, true, "`id`") ==
        "INSERT INTO d (a) VALUES (?) ON DUPLICATE KEY UPDATE `id` = `id`");
  CHECK(insert_values(Engine::sqlite, "d", {"a"}, 1, false, "a") == "INSERT INTO d (a) VALUES (?)");
}

TEST_CASE("a pause between batches (--sleep) takes fractions of a second") {
  using std::chrono::milliseconds;
  CHECK(parse_pause("0.5s", "--sleep") == milliseconds(500));
  CHECK(parse_pause("250ms", "--sleep") == milliseconds(250));
  CHECK(parse_pause("2", "--sleep") == milliseconds(2000));
  CHECK(parse_pause("1min", "--sleep") == milliseconds(60000));
  CHECK_THROWS_AS(parse_pause("soon", "--sleep"), ops::Error);
  CHECK_THROWS_AS(parse_pause("-1s", "--sleep"), ops::Error);
}
