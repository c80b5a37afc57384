#!/usr/bin/env bash
# opsbackup verify, list, prune and restore on real backups: verification
# catches a flipped byte, a truncated file and a missing completion line and
# records its verdict in the manifest; list shows it; prune keeps what the
# policy says (restic semantics, with OPS_NOW and hand-dated backups), never the
# newest, refuses after a failed run unless --force, and clears leftovers of
# crashed runs; restore refuses a non-empty target and reproduces the data.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf TZ=UTC
B=$SCRATCH/backups
manifest_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], {}).get(sys.argv[3], "") if len(sys.argv) > 3 else json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, body text);
        INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g;" "$PGDB"
PG=$(pg_dsn "$PGDB")
PASS=$OPS_TEST_PG_PASSWORD_FILE

# Seven nightly backups, made with OPS_NOW so their names carry those dates.
for d in 01 02 03 04 05 06 07; do
  OPS_NOW=2026-03-${d}T02:00:00Z opsbackup db --quiet --dir "$B" --name app --password-file "$PASS" "$PG" ||
    fail "backup of 2026-03-$d failed"
done
assert_eq "$(ls "$B/app" | grep -c '\.manifest\.json$')" 7 "seven backups"

# --- verify ------------------------------------------------------------------------------
run opsbackup verify --dir "$B" app
assert_rc 0
assert_out_contains "ok"
NEWEST=$B/app/app-20260307T020000Z.manifest.json
assert_eq "$(manifest_field "$NEWEST" verified ok)" True "the verdict is recorded in the manifest"
assert_eq "$(manifest_field "$NEWEST" verified how)" checksum "how it was verified"
assert_eq "$(manifest_field "$B/app/app-20260306T020000Z.manifest.json" verified ok)" "" "only the newest, by default"

run opsbackup verify --dir "$B" --all app
assert_rc 0
assert_eq "$(grep -c ' ok ' "$OUT_FILE")" 7 "--all: every backup verified"

# An unreadable manifest between two good backups: each backup gets its
# verdict, the bad one FAILED with one line naming the file (not the JSON
# library's raw message), and the exit status is the worst.
C=$SCRATCH/corrupt
mkdir -p -m 700 "$C/app"
for d in 01 02 03; do cp "$B/app/app-202603${d}T020000Z".* "$C/app/"; done
BAD=$C/app/app-20260302T020000Z.manifest.json
printf '{"manifest_format": 1, "name": ' >"$BAD"   # cut short
run opsbackup verify --dir "$C" --all app
assert_rc 2
assert_out_matches "^app +$C/app/app-20260301T020000Z\.sql\.gz +ok "
assert_out_matches "^app +$BAD +FAILED "
assert_out_matches "^app +$C/app/app-20260303T020000Z\.sql\.gz +ok "
assert_eq "$(grep -c ' ok ' "$OUT_FILE")" 2 "the good backups after the bad one are verified too"
assert_err_contains "$BAD: not valid JSON: "
assert_err_not_contains "json.exception"
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line for the unreadable manifest"
assert_eq "$(cat "$BAD")" '{"manifest_format": 1, "name": ' "the unreadable manifest is left as it was"
assert_eq "$(manifest_field "$C/app/app-20260303T020000Z.manifest.json" verified ok)" True "the verdict after it is recorded"

# A --dir that is not there is a usage error, not an empty store.
run opsbackup verify --dir "$SCRATCH/nonexistent" --all
assert_rc 3
assert_err_contains "backup directory $SCRATCH/nonexistent does not exist"

# A flipped byte: the checksum catches it.
cp "$B/app/app-20260303T020000Z.sql.gz" "$SCRATCH/saved.gz"
# (the byte's complement: writing a fixed value would change nothing when the
# byte already had it, 1 run in 256)
byte=$(od -An -tu1 -j100 -N1 "$B/app/app-20260303T020000Z.sql.gz" | tr -d ' ')
printf "\\$(printf '%03o' $((255 - byte)))" | dd of="$B/app/app-20260303T020000Z.sql.gz" bs=1 seek=100 conv=notrunc status=none
run opsbackup verify "$B/app/app-20260303T020000Z.sql.gz"
assert_rc 2
assert_err_contains "SHA-256"
assert_out_contains "FAILED"
assert_eq "$(manifest_field "$B/app/app-20260303T020000Z.manifest.json" verified ok)" False "a failed verdict is recorded too"
cp "$SCRATCH/saved.gz" "$B/app/app-20260303T020000Z.sql.gz"

# A dump cut short, with a manifest that matches it (as if the dumper had lied):
# decompression and the completion line catch it.
M=$B/app/app-20260304T020000Z.manifest.json
D=$B/app/app-20260304T020000Z.sql.gz
zcat "$D" >"$SCRATCH/whole.sql"   # not piped into head: zcat would die of SIGPIPE
head -c 20000 "$SCRATCH/whole.sql" | gzip >"$SCRATCH/cut.gz"
cp "$SCRATCH/cut.gz" "$D"
python3 - "$M" "$D" <<'PY'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
m["size"] = len(data); m["sha256"] = hashlib.sha256(data).hexdigest(); m["plain_size"] = 20000
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
run opsbackup verify "$M"
assert_rc 2
assert_err_contains "does not end with \"-- PostgreSQL database dump complete\""

# A truncated compressed file (manifest adjusted): the decompressor says so.
head -c 2000 "$SCRATCH/saved.gz" >"$D"
python3 - "$M" "$D" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[1])); data = open(sys.argv[2], "rb").read()
m["size"] = len(data); m["sha256"] = hashlib.sha256(data).hexdigest()
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
run opsbackup verify "$M"
assert_rc 2
assert_out_contains "FAILED"

# --- list --------------------------------------------------------------------------------
run env OPS_NOW=2026-03-08T02:00:00Z opsbackup list --dir "$B" --format tsv
assert_rc 0
assert_eq "$(head -n 1 "$OUT_FILE")" "$(printf 'name\ttime\tage\tsize\tcompression\tverified\tstatus\tfile')" "TSV header"
assert_eq "$(grep -c "^app${TAB:=$'\t'}" "$OUT_FILE")" 7 "one line per backup"
assert_eq "$(awk -F'\t' '$2 == "2026-03-07T02:00:00Z" { print $3 }' "$OUT_FILE")" 24h "age of the newest, in hours below two days"
assert_eq "$(awk -F'\t' '$2 == "2026-03-04T02:00:00Z" { print $7 }' "$OUT_FILE")" verify-failed "a failed verification shows"
assert_eq "$(awk -F'\t' '$2 == "2026-03-07T02:00:00Z" { print $7 }' "$OUT_FILE")" complete "a good one shows complete"

# A --dir that is not there is a usage error naming it; an empty store is not.
run opsbackup list --dir "$SCRATCH/nonexistent"
assert_rc 3
assert_err_contains "backup directory $SCRATCH/nonexistent does not exist"
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line"
mkdir -m 700 "$SCRATCH/empty-store"
run opsbackup list --dir "$SCRATCH/empty-store" --format tsv
assert_rc 0
assert_eq "$(cat "$OUT_FILE")" "$(printf 'name\ttime\tage\tsize\tcompression\tverified\tstatus\tfile')" "an empty store: only the header"

# --- prune -------------------------------------------------------------------------------
run opsbackup prune --dir "$B" --keep-last 1 nosuchname
assert_rc 3
assert_err_contains "no backups of nosuchname: $B/nosuchname does not exist"
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line"

run opsbackup prune --dir "$B" app
assert_rc 3
assert_err_contains "no --keep-* rule given"

run opsbackup prune --dry-run --dir "$B" --keep-last 2 --keep-weekly 2 app
assert_rc 0
assert_eq "$(ls "$B/app" | grep -c '\.manifest\.json$')" 7 "--dry-run removes nothing"
assert_eq "$(awk '$3 == "keep"' "$OUT_FILE" | wc -l)" 3 "dry run: keep the last 2 and the newest of the previous ISO week"
assert_out_matches '^app-20260307T020000Z +2026-03-07T02:00:00Z +keep +last 1, weekly 1$'
assert_out_matches '^app-20260301T020000Z +2026-03-01T02:00:00Z +keep +weekly 2$'
assert_out_matches '^app-20260303T020000Z +2026-03-03T02:00:00Z +remove'

# Leftovers of crashed runs: hour-old temporary files (of a backup, of the
# last-run record) and a data file without a manifest.
touch -d '2 hours ago' "$B/app/.app-20260308T020000Z.sql.gz.tmp.AbCdEf"
touch -d '2 hours ago' "$B/app/..last-run.json.tmp.GhIjKl"
cp "$SCRATCH/saved.gz" "$B/app/app-20260302T120000Z.sql.gz"
touch -d '2 hours ago' "$B/app/app-20260302T120000Z.sql.gz"
touch "$B/app/.app-20260309T020000Z.sql.gz.tmp.Running"   # a run in progress: left alone

# After a failed run, prune refuses unless --force.
printf 'bad\n' >"$SCRATCH/wrong.pass"
chmod 600 "$SCRATCH/wrong.pass"
run opsbackup db --dir "$B" --name app --password-file "$SCRATCH/wrong.pass" "$PG"
assert_rc 2
run opsbackup prune --dir "$B" --keep-last 2 --keep-weekly 2 app
assert_rc 2
assert_err_contains "the last backup run of app failed"
assert_eq "$(ls "$B/app" | grep -c '\.manifest\.json$')" 7 "nothing pruned after a failed run"

run opsbackup prune --force --dir "$B" --keep-last 2 --keep-weekly 2 app
assert_rc 0
assert_eq "$(cd "$B/app" && ls *.manifest.json | tr '\n' ' ')" \
  "app-20260301T020000Z.manifest.json app-20260306T020000Z.manifest.json app-20260307T020000Z.manifest.json " \
  "kept: the last two and the newest of last week"
assert_eq "$(ls "$B/app" | grep -c '\.sql\.gz$')" 3 "the data files of removed backups are gone"
assert_no_file "$B/app/.app-20260308T020000Z.sql.gz.tmp.AbCdEf"
assert_no_file "$B/app/..last-run.json.tmp.GhIjKl"
assert_no_file "$B/app/app-20260302T120000Z.sql.gz"
assert_file_exists "$B/app/.app-20260309T020000Z.sql.gz.tmp.Running"
assert_out_contains "removed-leftover"

# A policy can never remove the newest backup.
run opsbackup prune --force --dir "$B" --keep-hourly 0 --keep-yearly 0 --keep-monthly 1 app
assert_rc 0
assert_file_exists "$B/app/app-20260307T020000Z.manifest.json"

# --- restore -----------------------------------------------------------------------------
new_pg_db PGCOPY
COPY=$(pg_dsn "$PGCOPY")
run opsbackup restore --to "$COPY" --password-file "$PASS" "$B/app/app-20260307T020000Z.sql.gz"
assert_rc 0
assert_eq "$(pg_sql "SELECT count(*), sum(length(body)) FROM t" "$PGCOPY")" \
  "$(pg_sql "SELECT count(*), sum(length(body)) FROM t" "$PGDB")" "restored rows are the same"
run opsbackup restore --to "$COPY" --password-file "$PASS" --dir "$B" app
assert_rc 3
assert_err_contains "is not empty"

# --- verify --restore-test ----------------------------------------------------------------
run opsbackup verify --restore-test --dir "$B" app
assert_rc 3
assert_err_contains "--restore-test needs a scratch server"
run opsbackup verify --restore-test --scratch "$(pg_dsn postgres)" --password-file "$PASS" --dir "$B" app
assert_rc 0
assert_out_contains "restored: 1 tables, 5000 rows, as in the manifest"
assert_eq "$(manifest_field "$NEWEST" verified how)" restore-test "the restore test is recorded"
assert_eq "$(pg_sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'postgres_restore_%'" postgres)" 0 "the scratch database is dropped"

# A backup whose rows do not match its manifest fails the restore test.
python3 - "$NEWEST" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["tables"][0]["rows"] += 1
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
run opsbackup verify --restore-test --scratch "$(pg_dsn postgres)" --password-file "$PASS" --dir "$B" app
assert_rc 2
assert_err_contains "restored table public.t has 5000 rows, the manifest says 5001"
assert_eq "$(manifest_field "$NEWEST" verified ok)" False "the failed restore test is recorded"

# MariaDB: the scratch database is named after the DSN's, so a grant on a prefix covers it.
new_mysql_db MYDB
mysql_sql "CREATE TABLE c (id INT PRIMARY KEY, v LONGBLOB) ENGINE=InnoDB; INSERT INTO c SELECT seq, RANDOM_BYTES(100) FROM seq_1_to_300;" "$MYDB"
run opsbackup db --dir "$B" --name cases --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" "$(mysql_dsn "$MYDB")"
assert_rc 0
run opsbackup verify --restore-test --scratch "$(mysql_dsn "$MYDB")" --password-file "$OPS_TEST_MYSQL_PASSWORD_FILE" --dir "$B" cases
assert_rc 0
assert_out_contains "restored: 1 tables, 300 rows"
assert_eq "$(mysql_sql "SHOW DATABASES LIKE '${MYDB}\\_restore\\_%'" "")" "" "the MariaDB scratch database is dropped"

# SQLite needs no server.
sqlite3 "$SCRATCH/n.db" "CREATE TABLE n (x); INSERT INTO n VALUES (1), (2);"
run opsbackup db --dir "$B" --name notes "sqlite://$SCRATCH/n.db"
assert_rc 0
run opsbackup verify --restore-test --dir "$B" notes
assert_rc 0
assert_out_contains "restored: 1 tables, 2 rows"
