#!/usr/bin/env bash
# opsbackup restore checks the backup before it touches the target: a data
# file that is not the one its manifest describes (altered so it still
# decompresses, or cut short) and a backup whose recorded verification failed
# are refused with exit 2 and a line naming the check, nothing written;
# --force restores anyway, with a warning. restore -n runs the same checks and
# reports the same refusals with the same status (an altered backup, an
# existing SQLite file, a PostgreSQL database with tables, a non-empty
# directory such as /etc).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers
command -v sqlite3 >/dev/null || fail "sqlite3 is missing (scripts/bootstrap installs it)"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf TZ=UTC
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_BACKUP_' || true)
B=$SCRATCH/backups
manifest_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], {}).get(sys.argv[3], "") if len(sys.argv) > 3 else json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

# --- a SQLite backup, altered so that it still decompresses ------------------------------
SQ=$SCRATCH/app.sqlite
sqlite3 "$SQ" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
               INSERT INTO notes VALUES (1, 'the-original-value'), (2, 'another row');"
run opsbackup db --dir "$B" --name notes "sqlite://$SQ"
assert_rc 0
M=$(ls "$B"/notes/*.manifest.json)
D=$B/notes/$(manifest_field "$M" file)
[[ $D == *.sqlite3.gz ]] || fail "SQLite backup name: $D"
cp "$D" "$SCRATCH/good.gz"
# Same length, other bytes: the SQLite file stays sound, only the value differs.
gzip -dc "$D" | python3 -c 'import sys; d = sys.stdin.buffer.read(); assert b"the-original-value" in d; sys.stdout.buffer.write(d.replace(b"the-original-value", b"the-ALTERED--value"))' |
  gzip -c >"$SCRATCH/altered.gz"
gzip -t "$SCRATCH/altered.gz" || fail "the altered backup must still decompress"
cp "$SCRATCH/altered.gz" "$D"

run opsbackup restore "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 2
assert_err_matches "SHA-256|bytes, the manifest says"
assert_err_contains "not restoring it"
assert_eq "$(grep -c . "$ERR_FILE")" 1 "the refusal is one line"
assert_no_file "$SCRATCH/restored.sqlite"

# -n: the same refusal, the same status, nothing written.
run opsbackup restore -n "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 2
assert_err_matches "SHA-256|bytes, the manifest says"
assert_out_not_contains "would restore"
assert_no_file "$SCRATCH/restored.sqlite"

# --force restores it anyway, and says so.
run opsbackup restore "$M" --to "sqlite://$SCRATCH/restored.sqlite" --force
assert_rc 1
assert_err_contains "restoring it anyway (--force)"
assert_eq "$(sqlite3 "$SCRATCH/restored.sqlite" 'SELECT body FROM notes WHERE id = 1')" "the-ALTERED--value" \
  "--force restored the altered data"
rm -f "$SCRATCH/restored.sqlite"

# Same size, other content: the SHA-256 check itself.
python3 - "$D" "$SCRATCH/good.gz" <<'PY'
import sys
bad, good = sys.argv[1:]
data = bytearray(open(good, "rb").read())
data[-9] ^= 0xFF  # the gzip trailer's CRC: the size stays, the hash changes
open(bad, "wb").write(bytes(data))
PY
run opsbackup restore "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 2
assert_err_contains "SHA-256"
assert_no_file "$SCRATCH/restored.sqlite"

# A file cut short is refused by its size, before anything reads it as a dump.
head -c 200 "$SCRATCH/good.gz" >"$D"
run opsbackup restore "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 2
assert_err_contains "is 200 bytes, the manifest says $(stat -c %s "$SCRATCH/good.gz")"
assert_no_file "$SCRATCH/restored.sqlite"

# --- a backup whose verification failed ----------------------------------------------------
run opsbackup verify "$M"
assert_rc 2
assert_eq "$(manifest_field "$M" verified ok)" False "the failed verdict is recorded"
cp "$SCRATCH/good.gz" "$D"  # the file is whole again, but the manifest says it failed
run opsbackup restore "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 2
assert_err_contains "failed verification"
assert_no_file "$SCRATCH/restored.sqlite"
run opsbackup restore -n "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 2
assert_err_contains "failed verification"
run opsbackup verify "$M"
assert_rc 0
run opsbackup restore "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 0
assert_eq "$(sqlite3 "$SCRATCH/restored.sqlite" 'SELECT body FROM notes WHERE id = 1')" "the-original-value" \
  "a sound backup restores"

# -n on a sound backup into an existing SQLite file: refused as the real run is.
run opsbackup restore -n "$M" --to "sqlite://$SCRATCH/restored.sqlite"
assert_rc 3
assert_err_contains "exists: not replacing it"
assert_out_not_contains "would restore"
run opsbackup restore -n "$M" --to "sqlite://$SCRATCH/new.sqlite"
assert_rc 0
assert_out_contains "would restore"
assert_no_file "$SCRATCH/new.sqlite"

# --- a files backup ----------------------------------------------------------------------
mkdir -p "$SCRATCH/src/www"
printf 'hello\n' >"$SCRATCH/src/www/index.html"
run opsbackup files site --dir "$B" --source "$SCRATCH/src/www"
assert_rc 0
FM=$(ls "$B"/site/*.manifest.json)
FD=$B/site/$(manifest_field "$FM" file)
cp "$FD" "$SCRATCH/site-good"
gzip -dc "$SCRATCH/site-good" | python3 -c 'import sys; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(d.replace(b"hello", b"HELLO"))' |
  gzip -c >"$FD"
gzip -t "$FD" || fail "the altered files backup must still decompress"
run opsbackup restore "$FM" --to-dir "$SCRATCH/site-restored"
assert_rc 2
assert_err_matches "SHA-256|bytes, the manifest says"
assert_no_file "$SCRATCH/site-restored"
run opsbackup restore -n "$FM" --to-dir "$SCRATCH/site-restored"
assert_rc 2
assert_no_file "$SCRATCH/site-restored"
cp "$SCRATCH/site-good" "$FD"
# -n into a directory that is not empty (/etc): refused as the real run is.
run opsbackup restore -n "$FM" --to-dir /etc
assert_rc 3
assert_err_contains "/etc is not empty"
assert_out_not_contains "would restore"
run opsbackup restore -n "$FM" --to-dir "$SCRATCH/site-restored"
assert_rc 0
assert_out_contains "would restore"
assert_no_file "$SCRATCH/site-restored"
run opsbackup restore "$FM" --to-dir "$SCRATCH/site-restored"
assert_rc 0
assert_eq "$(cat "$SCRATCH/site-restored/www/index.html")" hello "a sound files backup restores"

# --- PostgreSQL: an altered dump is never replayed; -n sees a database with tables -----------
new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, body text); INSERT INTO t VALUES (1, 'the-original-value');" "$PGDB"
PASS=$OPS_TEST_PG_PASSWORD_FILE
run opsbackup db --dir "$B" --name pg --password-file "$PASS" "$(pg_dsn "$PGDB")"
assert_rc 0
PM=$(ls "$B"/pg/*.manifest.json)
PD=$B/pg/$(manifest_field "$PM" file)
gzip -dc "$PD" | sed 's/the-original-value/the-ALTERED--value/' | gzip -c >"$SCRATCH/pg-altered.gz"
cp "$PD" "$SCRATCH/pg-good.gz"
cp "$SCRATCH/pg-altered.gz" "$PD"
new_pg_db PGTO
run opsbackup restore "$PM" --to "$(pg_dsn "$PGTO")" --password-file "$PASS"
assert_rc 2
assert_err_matches "SHA-256|bytes, the manifest says"
assert_eq "$(pg_sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" "$PGTO")" 0 "nothing replayed"
cp "$SCRATCH/pg-good.gz" "$PD"
# -n into the source database itself, which has tables: refused as the real run is.
run opsbackup restore -n "$PM" --to "$(pg_dsn "$PGDB")" --password-file "$PASS"
assert_rc 3
assert_err_contains "is not empty"
assert_out_not_contains "would restore"
run opsbackup restore "$PM" --to "$(pg_dsn "$PGTO")" --password-file "$PASS"
assert_rc 0
assert_eq "$(pg_sql "SELECT body FROM t" "$PGTO")" "the-original-value" "a sound dump restores"

finish
