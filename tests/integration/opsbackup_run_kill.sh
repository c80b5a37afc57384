#!/usr/bin/env bash
# Fault test: `opsbackup run` SIGKILLed at 55+ moments spread over a whole run
# (connecting, dumping, compressing, publishing, writing the manifest,
# verifying, pruning). Afterwards nothing half-done looks done: every manifest
# describes a data file that is there and verifies; no backup lost its data;
# the next run succeeds and its prune clears what the killed runs left.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
require_servers

export TZ=UTC
B=$SCRATCH/backups
new_pg_db PGDB
pg_sql "CREATE TABLE t (id int PRIMARY KEY, v text);
        INSERT INTO t SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 40000) g;" "$PGDB"
sqlite3 "$SCRATCH/notes.db" "CREATE TABLE n (x); INSERT INTO n VALUES (1), (2), (3);"
cat >"$SCRATCH/ops.conf" <<CONF
[backup]
dir = $B
keep_last = 3

[backup.app]
database = $(pg_dsn "$PGDB")
password_file = $OPS_TEST_PG_PASSWORD_FILE

[backup.notes]
database = sqlite://$SCRATCH/notes.db
CONF
export OPS_CONFIG=$SCRATCH/ops.conf

# Each run gets its own second (OPS_NOW), so every backup has its own name.
stamp() { printf '2026-06-01T%02d:%02d:%02dZ' $(($1 / 3600)) $(($1 / 60 % 60)) $(($1 % 60)); }
start=${EPOCHREALTIME/./}
OPS_NOW=$(stamp 0) opsbackup run --quiet || fail "the first run failed"
run_us=$((${EPOCHREALTIME/./} - start))

# Kill at a random moment within (a little over) the length of a run, until 55
# kills have landed while it ran. Completed runs refine the length, which
# changes with the machine's load.
killed=0 completed=0 i=0
while ((killed < 55)); do
  i=$((i + 1))
  ((i <= 200)) || fail "only $killed of 200 kills landed while opsbackup ran"
  t0=${EPOCHREALTIME/./}
  OPS_NOW=$(stamp "$i") opsbackup run --quiet 2>/dev/null &
  pid=$!
  delay_us=$(((RANDOM * 32768 + RANDOM) % (run_us * 21 / 20 + 1)))
  sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  case $rc in
    0) completed=$((completed + 1)) run_us=$(((run_us + ${EPOCHREALTIME/./} - t0) / 2)) ;;
    137) killed=$((killed + 1)) ;;
    *) fail "run $i exited $rc" ;;
  esac
  # No dumper may outlive a killed run (they die with their parent).
  for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "pg_dump.*$PGDB" >/dev/null || break; sleep 0.1; done
  pgrep -f "pg_dump.*$PGDB" >/dev/null && fail "a pg_dump outlived its killed opsbackup (run $i)"
done
echo "run: $killed of $i runs killed while running, $completed completed (a run takes about $((run_us / 1000)) ms)"

# Every manifest left describes a whole, verifiable backup.
for name in app notes; do
  for m in "$B/$name"/*.manifest.json; do
    data=$B/$name/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["file"])' "$m")
    assert_file_exists "$data"
  done
done
run opsbackup list --format tsv
assert_rc 0
assert_eq "$(tail -n +2 "$OUT_FILE" | cut -f7 | sort -u)" complete "list shows only complete backups"
run opsbackup verify --all app notes
assert_rc 0
assert_out_not_contains "FAILED"

# The next run is fine, and its prune clears the leftovers once they are old.
find "$B" -name '.*.tmp.*' -exec touch -d '2 hours ago' {} +
for f in "$B"/*/*-2026*; do
  [[ -e ${f%%.*}.manifest.json ]] || touch -d '2 hours ago' "$f"
done
declare -A complete_before
for name in app notes; do complete_before[$name]=$(ls "$B/$name" | grep -c manifest || true); done
run env OPS_NOW="$(stamp 1000)" opsbackup run
assert_rc 0
assert_eq "$(find "$B" -name '.*.tmp.*' | wc -l)" 0 "no temporary file left after the next run"
for name in app notes; do
  # keep_last = 3, of the complete backups there are (on a loaded machine
  # every killed run may have died before finishing one).
  keep=$((complete_before[$name] + 1 < 3 ? complete_before[$name] + 1 : 3))
  assert_eq "$(ls "$B/$name" | grep -c manifest)" "$keep" "$name: keep_last = 3"
  assert_eq "$(ls "$B/$name" | grep -vc manifest)" "$keep" "$name: a data file per manifest, no leftover"
done
