#!/usr/bin/env bash
# opsdf du on real trees, checked against GNU du on the same trees: totals
# (allocated and apparent), the largest descendants, --depth/--top, --exclude,
# hard links across roots, exit statuses, and an unreadable directory when run
# as an unprivileged user (nobody, through setpriv; this script runs as root).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_DF_' || true)

((EUID == 0)) || fail "opsdf_du.sh must run as root (it runs opsdf as nobody through setpriv)"
command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"

# The tree lives where nobody can reach it: $SCRATCH may be under /root.
TREE=$(mktemp -d "${TMPDIR:-/tmp}/opsdf-du.XXXXXX")
chmod 755 "$TREE"
at_exit rm -rf "$TREE"
at_exit chmod -R u+rwx "$TREE"

mkfile() {  # mkfile PATH BYTES: a file with real (allocated) data
  mkdir -p "$(dirname "$1")"
  head -c "$2" /dev/zero | tr '\0' x >"$1"
}
du_bytes() { du -s -B1 "$@" | cut -f1; }

# tsv_field COLUMN [ROW]: a column of a TSV row of the last run's stdout (row 1 = root).
tsv_field() {
  awk -F'\t' -v col="$1" -v row="${2:-1}" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    NR == row + 1 { print $c }' "$OUT_FILE"
}
rows() { echo $(($(wc -l <"$OUT_FILE") - 1)); }

T=$TREE/data
mkfile "$T/big/inner/blob" 900000
mkfile "$T/big/notes.txt" 20000
mkfile "$T/logs/app.log" 300000
mkfile "$T/logs/old/app.log.1" 200000
mkfile "$T/medium.bin" 400000
mkfile "$T/small/a" 5000
mkfile "$T/empty" 0
mkdir -p "$T/empty-dir"
ln -s big "$T/link-to-dir"
ln -s /nonexistent "$T/dangling"
truncate -s 50M "$T/sparse"
ln "$T/big/inner/blob" "$T/big/inner/blob-again"

# --- totals and the largest descendants, as TSV ---------------------------------------
run opsdf du --format tsv "$T"
assert_rc 0
assert_eq "$ERR" "" "nothing on stderr"
assert_eq "$(head -n 1 "$OUT_FILE")" $'path\tbytes\tfiles\tdepth' "TSV header"
assert_eq "$(tsv_field path)" "$T" "the root's row comes first"
assert_eq "$(tsv_field depth)" 0 "the root's depth"
assert_eq "$(tsv_field bytes)" "$(du_bytes "$T")" "total bytes, as du -s -B1"
assert_eq "$(tsv_field files)" 10 "files: non-directories, a hard-linked file once"
assert_eq "$(tsv_field path 2)" "$T/big" "largest first"
assert_eq "$(tsv_field bytes 2)" "$(du_bytes "$T/big")" "a directory's bytes, as du"
assert_eq "$(tsv_field depth 2)" 1 "a child's depth"
assert_eq "$(tsv_field path 3)" "$T/logs" "second largest"
assert_eq "$(tsv_field path 4)" "$T/medium.bin" "files are listed too"
assert_eq "$(rows)" 10 "the root and its 9 children (fewer than the default --top 10)"
sorted=$(awk -F'\t' 'NR > 2 { print $2 }' "$OUT_FILE" | sort -rn)
assert_eq "$(awk -F'\t' 'NR > 2 { print $2 }' "$OUT_FILE")" "$sorted" "descendants largest first"
assert_out_not_contains "$T/big/inner"

run opsdf du --format tsv --apparent-size "$T"
assert_rc 0
assert_eq "$(tsv_field bytes)" "$(du_bytes --apparent-size "$T")" "apparent size, as du --apparent-size"
assert_eq "$(tsv_field path 2)" "$T/sparse" "a sparse file counts its length with --apparent-size"

run opsdf du --format tsv --depth 0 "$T"
assert_rc 0
assert_eq "$(rows)" 1 "--depth 0: the total only"

run opsdf du --format tsv --depth 2 --top 3 "$T"
assert_rc 0
assert_eq "$(rows)" 4 "--top 3"
assert_eq "$(tsv_field path 3)" "$T/big/inner" "--depth 2 lists grandchildren"
assert_eq "$(tsv_field depth 3)" 2 "a grandchild's depth"

run opsdf du --format tsv --depth 3 --top 0 "$T"
assert_rc 0
assert_eq "$(rows)" 17 "--top 0: every descendant down to --depth"

# --- --exclude, as du --exclude ----------------------------------------------------
run opsdf du --format tsv --exclude '*.log' --exclude "$T/big" "$T"
assert_rc 0
assert_eq "$(tsv_field bytes)" "$(du_bytes --exclude='*.log' --exclude="$T/big" "$T")" "--exclude by name and by path"
assert_out_not_contains "$T/big"$'\t'

run opsdf du --format tsv --exclude 'old' "$T"
assert_rc 0
assert_eq "$(tsv_field bytes)" "$(du_bytes --exclude=old "$T")" "--exclude a directory name"

# --- symlinks are the links; hard links once across roots ---------------------------
run opsdf du --format tsv "$T/link-to-dir"
assert_rc 0
assert_eq "$(tsv_field bytes)" "$(du_bytes "$T/link-to-dir")" "a symlink root is the link itself"

H=$TREE/links
mkfile "$H/one/file" 250000
mkfile "$H/two/own" 3000
ln "$H/one/file" "$H/two/link"
run opsdf du --format tsv --depth 0 "$H/one" "$H/two"
assert_rc 0
assert_eq "$(rows)" 2 "one row per root"
mapfile -t both < <(du -s -B1 "$H/one" "$H/two" | cut -f1)
assert_eq "$(tsv_field bytes 1)" "${both[0]}" "first root"
assert_eq "$(tsv_field path 2)" "$H/two" "second root"
assert_eq "$(tsv_field files 2)" 1 "the link is not a second file"
assert_eq "$(tsv_field depth 2)" 0 "a root's depth"
assert_eq "$(tsv_field bytes 2)" "${both[1]}" "a hard link met under an earlier root is not counted again"

# --- text output --------------------------------------------------------------------
run opsdf du --top 2 "$T"
assert_rc 0
records=$(grep -E '^ *[0-9]+(\.[0-9])?[BKMGTPE] +/' "$OUT_FILE" || true)
assert_eq "$(grep -c . <<<"$records")" 3 "text: the total then the two largest, one record a line"
assert_eq "$(head -n 1 <<<"$records" | awk '{ print $2 }')" "$T" "text: SIZE  PATH, the root first"
assert_out_matches "^ *[0-9]+(\.[0-9])?[BKMGTPE] +$T/big\$"

run opsdf du --format json "$T"
assert_rc 0
assert_out_contains "\"$T/big\""

# --- errors and exit statuses -------------------------------------------------------
run opsdf du "$TREE/nope"
assert_rc 3
assert_err_contains "opsdf: error: cannot access $TREE/nope: No such file or directory"
assert_out_eq ""

run opsdf du --format tsv "$TREE/nope" "$T/small"
assert_rc 1
assert_err_contains "opsdf: warning: cannot access $TREE/nope: No such file or directory"
assert_eq "$(tsv_field path)" "$T/small" "the other roots are still scanned"

run opsdf du --depth x "$T"
assert_rc 3
assert_out_eq ""

# --- an unreadable directory, as an unprivileged user -------------------------------
U=$TREE/user
mkfile "$U/ok/sub/f" 100000
mkfile "$U/ok/g" 7000
mkfile "$U/locked/inner/secret" 500000
mkfile "$U/locked/h" 3000
chmod -R a+rX "$U"
chmod 000 "$U/locked"
# The binary may sit below a directory nobody cannot enter (/root): run a copy.
cp "$(command -v opsdf)" "$TREE/opsdf"
chmod 755 "$TREE/opsdf"
# Nor can it read $SCRATCH's empty config: give it one of its own.
: >"$TREE/empty.conf"
chmod 644 "$TREE/empty.conf"
as_nobody() { OPS_CONFIG=$TREE/empty.conf setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

run as_nobody "$TREE/opsdf" du --format tsv "$U"
assert_rc 1
assert_err_contains "opsdf: warning: cannot read directory $U/locked: Permission denied"
assert_eq "$(grep -c . "$ERR_FILE")" 1 "one warning"
expected=$(as_nobody du -s -B1 "$U" 2>/dev/null | cut -f1 || true)
assert_eq "$(tsv_field bytes)" "$expected" "the total of what could be read, as du"
assert_eq "$(tsv_field files)" 2 "files that could be read"
assert_out_matches "^$U/locked"$'\t'"[0-9]+"$'\t'"0"$'\t'"1\$"

run as_nobody "$TREE/opsdf" du --format tsv "$U/locked"
assert_rc 1
assert_err_contains "opsdf: warning: cannot read directory $U/locked: Permission denied"
assert_eq "$(tsv_field bytes)" "$(as_nobody du -s -B1 "$U/locked" 2>/dev/null | cut -f1 || true)" \
  "an unreadable root counts its own size"
