#!/usr/bin/env bash
# copytruncate under a writer appending numbered lines at full speed (one
# O_APPEND write per line, as a logger does), 10 forced rotations per
# filesystem, each on a filesystem made and mounted here:
#   - ext4 and xfs (loop-mounted images): the copied whole blocks are cut out
#     of the live log and its last partial block stays in it for the next
#     rotation, so 0 lines are lost and 0 doubled; every rotated file holds
#     whole blocks;
#   - tmpfs, which cannot collapse a range: the fallback copies and
#     truncates; every rotation is still made and reported, nothing is
#     doubled, and what is lost is at most one run of lines per rotation, at
#     the rotation (how many lines is printed, not asserted: it depends on
#     scheduling).
# Then, on ext4, what the schedule makes of a kept tail: with notifempty a
# log holding only it is not rotated, `size` and `minsize` do not count it,
# and it goes out with the next rotation.
# Needs root, /dev/loop-control, mkfs.ext4 and mkfs.xfs (scripts/bootstrap):
# a filesystem that cannot be made or mounted fails the test.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

PATH=$PATH:/usr/sbin:/sbin
export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
[[ -x ${SEQWRITER:-} ]] || fail "SEQWRITER is not set to the seqwriter binary (ctest sets it)"
[[ $(id -u) == 0 ]] || fail "this test mounts filesystems: run it as root"
[[ -c /dev/loop-control ]] || fail "no /dev/loop-control: loop devices are needed for the ext4 and xfs images"
for tool in mkfs.ext4 mkfs.xfs mount umount; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/bootstrap installs e2fsprogs and xfsprogs)"
done

# mount_fs TYPE DIR: a fresh, empty TYPE filesystem on DIR, unmounted at exit.
# The images are sparse; 2G leaves room for what the writer writes (xfs
# wants at least 300M).
mount_fs() {
  local type=$1 dir=$2
  mkdir -p "$dir"
  if [[ $type == tmpfs ]]; then
    mount -t tmpfs -o size=2g,mode=0755 tmpfs "$dir" || fail "cannot mount a tmpfs on $dir"
  else
    truncate -s 2G "$dir.img"
    "mkfs.$type" -q "$dir.img" || fail "mkfs.$type failed on $dir.img"
    mount -o loop "$dir.img" "$dir" || fail "cannot loop-mount the $type image $dir.img"
  fi
  at_exit umount -l "$dir"
  assert_eq "$(stat -f -c %T "$dir" | sed 's/ext2\/ext3/ext4/')" "$type" "$dir is a $type filesystem"
}

# rotated DIR: DIR's rotations oldest first (app.log.10 ... app.log.1).
rotated() { find "$1" -maxdepth 1 -name 'app.log.*' -printf '%f\n' | sort -t. -k3,3nr | sed "s|^|$1/|"; }

# under_writer TYPE: 10 forced rotations of a log on a fresh TYPE filesystem
# while seqwriter appends at full speed; then seqwriter --check reads the
# rotations and the live log as one stream. Sets CHECK (its output) and
# prints the figures.
under_writer() {
  local type=$1 dir=$SCRATCH/$1 conf=$SCRATCH/$1.conf k writer count
  mount_fs "$type" "$dir"
  printf '%s/app.log {\n  rotate 1000\n  copytruncate\n}\n' "$dir" >"$conf"
  "$SEQWRITER" "$dir/app.log" 0 >"$SCRATCH/$type.count" &
  writer=$!
  at_exit kill "$writer"
  for ((k = 1; k <= 10; k++)); do
    # Rotate a log that holds megabytes: the writer has been busy since the
    # last rotation (waiting on what it wrote, not on a clock).
    while [[ ! -f $dir/app.log ]] || (($(stat -c %s "$dir/app.log") < 4 << 20)); do
      kill -0 "$writer" 2>/dev/null || fail "seqwriter stopped before rotation $k"
      sleep 0.01
    done
    run "$OPSROTATE" -f -s "$SCRATCH/$type.state" "$conf"
    assert_rc 0
    assert_out_contains "$dir/app.log: rotated: forced (-f)"
  done
  kill -TERM "$writer"
  wait "$writer" || fail "seqwriter failed on $type"
  count=$(cat "$SCRATCH/$type.count")
  mapfile -t FILES < <(rotated "$dir")
  assert_eq "${#FILES[@]}" 10 "$type: 10 rotations"
  run "$SEQWRITER" --check "$count" "${FILES[@]}" "$dir/app.log"
  CHECK=$OUT
  echo "$type: $count lines written, 10 forced rotations: $(tr '\n' ' ' <<<"$CHECK")"
}

figure() { sed -n "s/^$1 //p" <<<"$CHECK"; }

for type in ext4 xfs; do
  under_writer "$type"
  assert_eq "$(figure missing)" 0 "$type: no line lost"
  assert_eq "$(figure duplicated)" 0 "$type: no line doubled"
  assert_eq "$(figure malformed)" 0 "$type: every line whole, read across the rotations in order"
  # The rotations hold whole blocks: the last partial one stayed in the live log.
  block=$(stat -f -c %S "$SCRATCH/$type")
  for f in "${FILES[@]}"; do
    assert_eq "$(($(stat -c %s "$f") % block))" 0 "$type: $f holds whole blocks of $block bytes"
  done
done

under_writer tmpfs
assert_eq "$(figure duplicated)" 0 "tmpfs: no line doubled"
assert_eq "$(figure gaps_inside_files)" 0 "tmpfs: lines lost only at a rotation"
(($(figure gaps) <= 10)) || fail "tmpfs: $(figure gaps) runs of lost lines in 10 rotations (at most one each)"
(($(figure malformed) <= $(figure gaps))) || fail "tmpfs: $(figure malformed) broken lines, more than the truncations that lost lines"
ASSERTIONS=$((ASSERTIONS + 2))
for f in "${FILES[@]}"; do
  [[ -s $f ]] || fail "tmpfs: the rotation $f is empty: the fallback must copy everything"
done
echo "tmpfs (fallback, copy then truncate): $(figure missing) lines lost"

# --- the kept tail and the schedule (ext4, no writer) ------------------------------
dir=$SCRATCH/ext4
rm -f "$dir"/app.log*
lines() { for ((i = $1; i < $2; i++)); do printf '%-99s\n' "line $i"; done; }
lines 0 100 >"$dir/app.log"  # 10000 bytes: two blocks and 1808 bytes
conf() { printf '%s/app.log {\n  rotate 10\n  copytruncate\n%s\n}\n' "$dir" "$1" >"$SCRATCH/tail.conf"; }
state=$SCRATCH/tail.state

conf "  notifempty"
run "$OPSROTATE" -f -s "$state" "$SCRATCH/tail.conf"
assert_rc 0
assert_out_eq "$dir/app.log: rotated: forced (-f) (kept its last 1.8K for the next rotation)"
assert_eq "$(stat -c %s "$dir/app.log.1") $(stat -c %s "$dir/app.log")" "8192 1808" "two blocks rotated, 1808 bytes kept"
assert_eq "$(cat "$dir/app.log.1" "$dir/app.log")" "$(lines 0 100)" "the rotation and the log hold every line once"

run "$OPSROTATE" -f -v -s "$state" "$SCRATCH/tail.conf"
assert_rc 0
assert_out_eq "$dir/app.log: skip: only the 1.8K kept at the last rotation, notifempty"
assert_no_file "$dir/app.log.2"

conf "  size 1k"
run "$OPSROTATE" -v -s "$state" "$SCRATCH/tail.conf"
assert_out_eq "$dir/app.log: skip: size 0B (not counting the 1.8K kept at the last rotation) < 1.0K"
conf "  daily
  minsize 1k"
run env OPS_NOW=2099-01-01T00:00:00Z "$OPSROTATE" -v -s "$state" "$SCRATCH/tail.conf"
assert_out_eq "$dir/app.log: skip: size 0B (not counting the 1.8K kept at the last rotation) < minsize 1.0K"

# New lines count; with less than a block in all, the tail goes out with them.
lines 100 120 >>"$dir/app.log"
conf "  size 1k"
run "$OPSROTATE" -s "$state" "$SCRATCH/tail.conf"
assert_rc 0
assert_out_eq "$dir/app.log: rotated: size 2.0K (not counting the 1.8K kept at the last rotation) >= 1.0K"
assert_eq "$(stat -c %s "$dir/app.log")" 0 "a log of less than a block is emptied"
assert_eq "$(cat "$dir/app.log.2" "$dir/app.log.1")" "$(lines 0 120)" "the kept tail went out with the next rotation"

# A program that truncates its log and writes it anew: the record of the
# old tail no longer matches and hides nothing.
lines 0 100 >"$dir/app.log"
conf "  notifempty"
run "$OPSROTATE" -f -s "$state" "$SCRATCH/tail.conf"
assert_out_contains "(kept its last 1.8K for the next rotation)"
lines 500 520 >"$dir/app.log"
run "$OPSROTATE" -f -s "$state" "$SCRATCH/tail.conf"
assert_out_eq "$dir/app.log: rotated: forced (-f)"
assert_eq "$(cat "$dir/app.log.1")" "$(lines 500 520)" "the rewritten log rotated whole"
finish
