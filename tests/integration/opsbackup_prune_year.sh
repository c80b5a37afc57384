#!/usr/bin/env bash
# opsbackup prune over a year of nightly backups: one real backup cloned under
# 365 dates of 2025 (each clone a whole backup: data file and manifest), then
# `--keep-daily 7 --keep-weekly 4 --keep-monthly 12 --keep-yearly 2` must keep
# exactly the table below, worked out by hand from restic's rules:
#   daily 7:    2025-12-25 … 2025-12-31
#   weekly 4:   newest of ISO weeks 2026-W01 (Dec 31), 2025-W52 (Dec 28),
#               W51 (Dec 21), W50 (Dec 14)
#   monthly 12: the last day of each month of 2025
#   yearly 2:   Dec 31 (only one year holds backups)
# Then a second year: the same policy after 2026-03-31 keeps the new dailies,
# and the monthly slots now reach back into 2025.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf TZ=UTC
B=$SCRATCH/backups
sqlite3 "$SCRATCH/app.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
OPS_NOW=2024-06-01T02:00:00Z opsbackup db -q --dir "$B" --name app "sqlite://$SCRATCH/app.db" || fail "the model backup failed"
# The model lives outside the backup directory, so it is not one of the backups.
mv "$B/app/app-20240601T020000Z.manifest.json" "$SCRATCH/model.manifest.json"
mv "$B/app/app-20240601T020000Z.sqlite3.gz" "$SCRATCH/model.sqlite3.gz"
model=$SCRATCH/model

# clone FROM_DAY TO_DAY: a backup at 02:00 UTC on every day of that range.
clone() {
  python3 - "$model" "$1" "$2" "$B/app" <<'PY'
import datetime, json, shutil, sys
model, first, last = sys.argv[1], datetime.date.fromisoformat(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3])
m = json.load(open(model + ".manifest.json"))
day = first
while day <= last:
    stem = sys.argv[4] + "/app-" + day.strftime("%Y%m%d") + "T020000Z"
    shutil.copyfile(model + ".sqlite3.gz", stem + ".sqlite3.gz")
    m["file"] = stem.rsplit("/", 1)[1] + ".sqlite3.gz"
    m["started"] = m["finished"] = day.isoformat() + "T02:00:00Z"
    json.dump(m, open(stem + ".manifest.json", "w"), indent=2)
    day += datetime.timedelta(days=1)
PY
}
kept() { (cd "$B/app" && ls -- *.manifest.json | sed 's/^app-\([0-9]\{8\}\).*/\1/' | tr '\n' ' '); }

clone 2025-01-01 2025-12-31
assert_eq "$(ls "$B/app" | grep -c manifest)" 365 "a year of backups"

run opsbackup prune --dir "$B" --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --keep-yearly 2 app
assert_rc 0
assert_eq "$(kept)" "20250131 20250228 20250331 20250430 20250531 20250630 20250731 20250831 20250930 20251031 20251130 20251214 20251221 20251225 20251226 20251227 20251228 20251229 20251230 20251231 " \
  "the keeps of the table above"
assert_eq "$(ls "$B/app" | grep -c '\.sqlite3\.gz$')" 20 "the data of every removed backup is gone too"
assert_out_matches '^app-20251231T020000Z +2025-12-31T02:00:00Z +keep +daily 1, weekly 1, monthly 1, yearly 1$'
assert_out_matches '^app-20251228T020000Z +2025-12-28T02:00:00Z +keep +daily 4, weekly 2$'
assert_out_matches '^app-20250131T020000Z +2025-01-31T02:00:00Z +keep +monthly 12$'
assert_out_matches '^app-20251224T020000Z +2025-12-24T02:00:00Z +removed$'

# Three more months: dailies move on, weeks and months are counted again.
clone 2026-01-01 2026-03-31
run opsbackup prune --dir "$B" --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --keep-yearly 2 app
assert_rc 0
assert_eq "$(kept)" "20250430 20250531 20250630 20250731 20250831 20250930 20251031 20251130 20251231 20260131 20260228 20260315 20260322 20260325 20260326 20260327 20260328 20260329 20260330 20260331 " \
  "after three more months: 7 dailies, ISO weeks 11-14 (15, 22, 29, 31 March), 12 months back to April 2025, the newest of 2025"
