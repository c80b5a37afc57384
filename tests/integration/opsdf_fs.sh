#!/usr/bin/env bash
# opsdf fs on this machine's real filesystems: the same figures as df, the
# mount holding a path, thresholds that set the exit status and mark the rows,
# the three output formats, pseudo filesystems hidden unless --all.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

# Only what this script sets: no /etc/ops/ops.conf, no OPS_DF_* from outside.
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DF_' || true)

# Used and available space move while the test runs (logs, other tests).
TOLERANCE=$((256 * 1024 * 1024))

near() {  # near ACTUAL EXPECTED WHAT: equal within $TOLERANCE bytes
  local diff=$(($1 - $2))
  ((diff < 0)) && diff=$((-diff))
  assert_eq "$((diff <= TOLERANCE))" 1 "$3: opsdf says $1, df says $2"
}

# tsv_field COLUMN [LINE]: a column of a TSV row of the last run's stdout (row 1 default).
tsv_field() {
  awk -F'\t' -v col="$1" -v row="${2:-1}" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    NR == row + 1 { print $c }' "$OUT_FILE"
}

# --- the filesystem holding $SCRATCH, compared with df -------------------------
read -r df_target < <(df -B1 --output=target "$SCRATCH" | tail -n 1)
read -r df_source df_fstype df_size df_used df_avail df_pcent < <(
  df -B1 --output=source,fstype,size,used,avail,pcent "$SCRATCH" | tail -n 1)

run opsdf --format tsv fs "$SCRATCH"
assert_rc 0
assert_eq "$(head -n 1 "$OUT_FILE")" \
  $'mounted_on\tdevice\ttype\tsize\tused\tavail\tuse_percent\tinode_use_percent\tstatus' "TSV header"
assert_eq "$(wc -l <"$OUT_FILE")" 2 "one filesystem holds one path"
assert_eq "$(tsv_field mounted_on)" "$df_target" "mount point"
assert_eq "$(tsv_field device)" "$df_source" "device"
assert_eq "$(tsv_field type)" "$df_fstype" "type"
assert_eq "$(tsv_field size)" "$df_size" "size"
near "$(tsv_field used)" "$df_used" "used"
near "$(tsv_field avail)" "$df_avail" "avail"
pct=$(tsv_field use_percent)
pct=${pct%.*}
df_pct=${df_pcent%\%}
assert_eq "$((pct >= df_pct - 1 && pct <= df_pct + 1))" 1 "use% $pct vs df's $df_pct"
assert_eq "$(tsv_field status)" OK "status"

# A path inside a subdirectory, and a relative path, land on the same mount.
mkdir -p "$SCRATCH/sub/dir"
run opsdf --format tsv fs "$SCRATCH/sub/dir"
assert_rc 0
assert_eq "$(tsv_field mounted_on)" "$df_target" "mount of a subdirectory"
run opsdf --format tsv ./sub
assert_rc 0
assert_eq "$(tsv_field mounted_on)" "$df_target" "a relative path goes to the default subcommand"

# --- / in the default listing, compared with df ---------------------------------
read -r root_size root_used root_avail < <(df -B1 --output=size,used,avail / | tail -n 1)
run opsdf --format tsv
assert_rc 0
root_row=$(awk -F'\t' 'NR > 1 && $1 == "/" { print NR - 1 }' "$OUT_FILE")
[[ -n $root_row ]] || fail "/ is not in the default listing"
assert_eq "$(tsv_field size "$root_row")" "$root_size" "size of /"
near "$(tsv_field used "$root_row")" "$root_used" "used of /"
near "$(tsv_field avail "$root_row")" "$root_avail" "avail of /"

# Text: a header, then one line per filesystem, with human sizes.
run opsdf fs /
assert_rc 0
assert_out_matches '^MOUNTED ON +DEVICE +TYPE +SIZE +USED +AVAIL +USE% +IUSE% +STATUS$'
assert_out_matches '^/ +[^ ]+ +[^ ]+ +[0-9.]+[BKMGTPE] +[0-9.]+[BKMGTPE] +[0-9.]+[BKMGTPE] +[0-9]+%'
assert_eq "$(wc -l <"$OUT_FILE")" 2 "header and one row"
assert_eq "$(grep -c ' $' "$OUT_FILE" || true)" 0 "no trailing blanks"

# --- thresholds: exit status and the STATUS column ------------------------------
# Any filesystem is at >= 0% use, and has less than 1E free; none (that we can
# write to) has less than 1 byte free.
run opsdf fs --warn 0% "$SCRATCH"
assert_rc 1
assert_out_matches 'WARNING$'

run opsdf fs --crit 0% "$SCRATCH"
assert_rc 2
assert_out_matches 'CRITICAL$'

run opsdf fs --warn 0% --crit 1E "$SCRATCH"
assert_rc 2
assert_out_matches 'CRITICAL$'
assert_out_not_contains 'WARNING'

run opsdf fs --warn 1B --crit 1B "$SCRATCH"
assert_rc 0
assert_out_not_contains 'WARNING'
assert_out_not_contains 'CRITICAL'

run opsdf fs --warn 100% --crit 1B "$SCRATCH"
assert_rc 0

# Every row of the listing is judged.
run opsdf --format tsv --warn 0%
assert_rc 1
assert_eq "$(awk -F'\t' 'NR > 1 && $9 != "WARNING"' "$OUT_FILE")" "" "every row marked WARNING"

# Inode thresholds (the filesystem of $SCRATCH has inodes on ext4/xfs/tmpfs).
if [[ -n $(opsdf --format tsv fs "$SCRATCH" | awk -F'\t' 'NR == 2 { print $8 }') ]]; then
  run opsdf fs --inode-warn 0% "$SCRATCH"
  assert_rc 1
fi

# --- JSON ------------------------------------------------------------------------
run opsdf --format json fs --warn 0% "$SCRATCH"
assert_rc 1
cp "$OUT_FILE" fs.json
python3 -c 'import json, sys; json.load(sys.stdin)' <fs.json || fail "invalid JSON"
run python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and len(rows) == 1, rows
r = rows[0]
for k in ("size", "used", "avail"):
    assert isinstance(r[k], int) and r[k] >= 0, (k, r[k])
assert isinstance(r["use_percent"], (int, float)), r
assert r["status"] == "WARNING", r
assert r["mounted_on"] == sys.argv[2], r
print(r["size"])
' fs.json "$df_target"
assert_rc 0
assert_out_eq "$df_size"

run opsdf --format json --all
assert_rc 0
python3 -c 'import json, sys; json.load(sys.stdin)' <"$OUT_FILE" || fail "invalid JSON with --all"

# --- pseudo filesystems ------------------------------------------------------------
run opsdf --format tsv
assert_rc 0
assert_eq "$(awk -F'\t' 'NR > 1 && ($3 == "proc" || $3 == "sysfs")' "$OUT_FILE")" "" "no proc or sysfs by default"
run opsdf --format tsv --all
assert_rc 0
assert_out_matches $'^/proc\tproc\tproc\t'
run opsdf --format tsv -t "$df_fstype"
assert_rc 0
assert_eq "$(awk -F'\t' -v t="$df_fstype" 'NR > 1 && $3 != t' "$OUT_FILE")" "" "-t $df_fstype shows only $df_fstype"
assert_eq "$(awk -F'\t' -v m="$df_target" 'NR > 1 && $1 == m { print "found" }' "$OUT_FILE")" found "-t $df_fstype shows $df_target"
run opsdf --format tsv --exclude-type "$df_fstype"
assert_rc 0
assert_eq "$(awk -F'\t' -v t="$df_fstype" 'NR > 1 && $3 == t' "$OUT_FILE")" "" "--exclude-type hides $df_fstype"

# --- bad input: exit 3, exactly one line on stderr naming the value --------------
for bad in 80x 101% abc -5%; do
  run opsdf fs --warn="$bad" "$SCRATCH"
  assert_rc 3
  assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line on stderr for --warn $bad"
  assert_err_matches "^opsdf: error: .*'$bad'"
  assert_out_eq ""
done

run opsdf --crit 50% --warn 90%
assert_rc 3
assert_err_matches '^opsdf: error: --crit .*--warn'

run opsdf --inode-warn 10G
assert_rc 3
assert_err_contains '--inode-warn'

run opsdf fs "$SCRATCH/does-not-exist"
assert_rc 3
assert_err_contains "$SCRATCH/does-not-exist"
assert_err_contains 'No such file or directory'
