#!/usr/bin/env bash
# opsarchive files on real trees: gzip/zstd/xz in place keeping content, mode
# and mtime; --match; compressed files left alone; symlinks never followed;
# --into-tar (listed with tar -tvf); --delete-older-than; a dry run that
# changes nothing; NAME.gz never overwritten; bad usage refused with exit 3;
# a crashed run's leftovers finished; and SIGKILL at random moments of a run
# over 200 files, after which every file's content is there exactly once.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
export OPS_NOW=2026-01-31T12:00:00Z
OLD=2025-09-01T00:00:00   # older than 90d, younger than 365d
ANCIENT=2024-06-01T00:00:00  # older than 365d
NEW=2026-01-30T00:00:00

# mkfile PATH MTIME [LINES]: a log with numbered lines.
mkfile() {
  mkdir -p "$(dirname "$1")"
  seq -f "line %g of $(basename "$1")" 1 "${3:-2000}" >"$1"
  touch -d "$2" "$1"
}

# --- gzip (the default), zstd and xz: content, mode and mtime kept --------------
for fmt in gzip zstd xz; do
  case $fmt in gzip) ext=gz cat=zcat ;; zstd) ext=zst cat="zstd -dcq" ;; xz) ext=xz cat="xz -dc" ;; esac
  D=$SCRATCH/c-$fmt
  mkfile "$D/app.log" "$OLD"
  mkfile "$D/sub/deep.log" "$OLD" 5000
  mkfile "$D/fresh.log" "$NEW"
  chmod 0640 "$D/app.log"
  chmod 0600 "$D/sub/deep.log"
  cp "$D/app.log" "$SCRATCH/app.orig"
  cp "$D/sub/deep.log" "$SCRATCH/deep.orig"
  before_app=$(stat -c '%a %Y' "$D/app.log")
  before_deep=$(stat -c '%a %Y' "$D/sub/deep.log")
  # --compress alone is gzip, also when a DIR follows it.
  if [[ $fmt == gzip ]]; then run opsarchive files --older-than 90d --compress "$D"; else run opsarchive files "$D" --older-than 90d --compress=$fmt; fi
  assert_rc 0
  assert_out_matches "^compressed +$D/app.log "
  assert_out_matches "^compressed +$D/sub/deep.log "
  assert_out_not_contains fresh.log
  assert_no_file "$D/app.log"
  assert_no_file "$D/sub/deep.log"
  assert_file_exists "$D/fresh.log"
  assert_eq "$(stat -c '%a %Y' "$D/app.log.$ext")" "$before_app" "$fmt: mode and mtime of app.log kept"
  assert_eq "$(stat -c '%a %Y' "$D/sub/deep.log.$ext")" "$before_deep" "$fmt: mode and mtime of deep.log kept"
  $cat "$D/app.log.$ext" | cmp -s - "$SCRATCH/app.orig" || fail "$fmt: app.log.$ext does not decompress to app.log"
  $cat "$D/sub/deep.log.$ext" | cmp -s - "$SCRATCH/deep.orig" || fail "$fmt: deep.log.$ext does not decompress to deep.log"
  ASSERTIONS=$((ASSERTIONS + 2))
  assert_eq "$(find "$D" -name '.*' -type f | wc -l)" 0 "$fmt: no temporary file left"
done

# --- --match, already compressed files, -q, tsv and json ------------------------
D=$SCRATCH/m
mkfile "$D/app.log" "$OLD"
mkfile "$D/notes.txt" "$OLD"
mkfile "$D/rotated.log.1" "$OLD"
gzip -c "$D/notes.txt" >"$D/old.log.gz" && touch -d "$OLD" "$D/old.log.gz"
gzip -c "$D/notes.txt" >"$D/disguised.log" && touch -d "$OLD" "$D/disguised.log"
gzip -c "$D/notes.txt" >"$D/bundle.tgz" && touch -d "$OLD" "$D/bundle.tgz"
keep=$(cd "$D" && stat -c '%n %s %Y' old.log.gz disguised.log bundle.tgz notes.txt)
run opsarchive files "$D" --older-than 90d --match '*.log' --match '*.log.[0-9]' --compress --format tsv
assert_rc 0
assert_eq "$(head -1 "$OUT_FILE")" "$(printf 'action\tpath\tbytes_before\tbytes_after')" "tsv header"
assert_eq "$(cut -f1,2 "$OUT_FILE" | tail -n +2 | sort)" "$(printf 'compressed\t%s\ncompressed\t%s' "$D/app.log" "$D/rotated.log.1")"
assert_eq "$(cd "$D" && stat -c '%n %s %Y' old.log.gz disguised.log bundle.tgz notes.txt)" "$keep" \
  "compressed files (by name or content) and unmatched files untouched"
mkfile "$D/more.log" "$OLD"
run opsarchive files "$D" --older-than 90d --match '*.log' --compress -q
assert_rc 0
assert_out_eq ""
assert_file_exists "$D/more.log.gz"
mkfile "$D/last.log" "$OLD"
size=$(stat -c %s "$D/last.log")
run opsarchive files "$D" --older-than 90d --match '*.log' --compress --format json --metrics-dir "$SCRATCH"
assert_rc 0
assert_eq "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[0]["action"], d[0]["bytes_before"])' "$OUT_FILE")" \
  "compressed $size" "json record"
assert_out_not_contains "old.log.gz"
grep -q '^ops_archive_files_compressed 1$' "$SCRATCH/opsarchive.prom" || fail "metrics: files_compressed"
ASSERTIONS=$((ASSERTIONS + 1))

# --- symlinks are never followed, and never touched -----------------------------
D=$SCRATCH/s
mkfile "$SCRATCH/outside/secret.log" "$ANCIENT"
mkfile "$SCRATCH/outside/inner/other.log" "$ANCIENT"
mkfile "$D/own.log" "$OLD"
ln -s ../outside/secret.log "$D/link.log"
ln -s ../outside "$D/linkdir"
touch -h -d "$ANCIENT" "$D/link.log" "$D/linkdir"
outside=$(tree_state --mtime "$SCRATCH/outside")
run opsarchive files "$D" --older-than 90d --compress --delete-older-than 365d
assert_rc 0
assert_out_contains "$D/own.log"
assert_out_not_contains "link"
assert_tree_unchanged "$outside" "$SCRATCH/outside" "nothing outside DIR changed"
assert_eq "$(readlink "$D/link.log") $(readlink "$D/linkdir")" "../outside/secret.log ../outside" "the symlinks are still there"

# --- directories others can write to are skipped, as logrotate does -------------
D=$SCRATCH/shared
mkfile "$D/own.log" "$OLD"
mkfile "$D/open/their.log" "$OLD"
mkfile "$D/team/team.log" "$OLD"
mkfile "$D/wheel/sys.log" "$OLD"
chmod 0777 "$D/open"
chmod 0775 "$D/team" "$D/wheel"
chgrp 65534 "$D/team"   # nogroup
chgrp 0 "$D/wheel"      # writable by group root: root's own
run opsarchive files "$D" --older-than 90d --compress
assert_rc 1
assert_err_contains "skipping $D/open: it is writable by others (mode 0777); --allow-shared-dirs to work in it anyway"
assert_err_contains "skipping $D/team: it is writable by group 65534 (mode 0775)"
assert_out_matches "^compressed +$D/own.log "
assert_out_matches "^compressed +$D/wheel/sys.log "
assert_file_exists "$D/open/their.log"
assert_file_exists "$D/team/team.log"
run opsarchive files "$D" --older-than 90d --compress --allow-shared-dirs
assert_rc 0
assert_file_exists "$D/open/their.log.gz"
assert_file_exists "$D/team/team.log.gz"
# A DIR that is itself open to all (a sticky /tmp-like one) is skipped whole.
mkfile "$SCRATCH/tmpish/old.log" "$OLD"
chmod 1777 "$SCRATCH/tmpish"
run opsarchive files "$SCRATCH/tmpish" --older-than 90d --compress
assert_rc 1
assert_err_contains "skipping $SCRATCH/tmpish: it is writable by others (mode 1777)"
assert_file_exists "$SCRATCH/tmpish/old.log"

# --- --into-tar: one archive, paths relative to DIR, modes and mtimes kept -------
D=$SCRATCH/t
mkfile "$D/a.log" "$OLD" 3000
mkfile "$D/x/b.log" "2025-10-15T08:30:00" 10
mkfile "$D/x/y/c.log" "$OLD" 1
mkfile "$D/new.log" "$NEW"
chmod 0600 "$D/x/b.log"
mkdir -p "$SCRATCH/orig" && cp -a "$D/." "$SCRATCH/orig/"
expect=$(cd "$D" && for f in a.log x/b.log x/y/c.log; do
  printf '%s %s %s %s\n' "$(stat -c '%A' "$f")" "$(stat -c '%s' "$f")" "$(date -d "@$(stat -c '%Y' "$f")" '+%F %T')" "$f"
done)
run opsarchive files "$D" --older-than 90d --into-tar "$D/logs-%Y%m%d.tar.gz"
assert_rc 0
T=$D/logs-20251102.tar.gz
assert_out_matches "^created +$T "
assert_out_matches "^archived +$D/x/y/c.log "
listing=$(tar -tvzf "$T" --full-time | awk '{print $1, $3, $4, $5, $6}')
assert_eq "$listing" "$expect" "tar -tvf: names, modes, sizes and mtimes"
mkdir "$SCRATCH/untar" && tar -xzf "$T" -C "$SCRATCH/untar"
for f in a.log x/b.log x/y/c.log; do
  cmp -s "$SCRATCH/untar/$f" "$SCRATCH/orig/$f" || fail "$f in the tar differs from the original"
  assert_no_file "$D/$f"
done
assert_file_exists "$D/new.log"
assert_eq "$(stat -c '%a' "$T")" 600 "the archive is 0600"
# Again a year later: the new tar holds new.log, not the earlier archive.
before=$(tree_state --mtime "$D")
run opsarchive files "$D" --older-than 90d --into-tar "$T"
assert_rc 3
assert_err_contains "$T exists; not overwritten"
assert_tree_unchanged "$before" "$D" "an existing PATH: nothing changed"
run env OPS_NOW=2027-01-31T12:00:00Z opsarchive files "$D" --older-than 90d --into-tar "$D/logs-%Y%m%d.tar"
assert_rc 0
assert_eq "$(tar -tf "$D/logs-20261102.tar")" "new.log" "the earlier archive is not collected into the new one"
# Several DIRs: members prefixed with each DIR's name.
mkfile "$SCRATCH/d1/one.log" "$OLD"
mkfile "$SCRATCH/d2/sub/two.log" "$OLD"
run opsarchive files "$SCRATCH/d1" "$SCRATCH/d2" --older-than 90d --into-tar "$SCRATCH/both.tar.zst"
assert_rc 0
assert_eq "$(zstd -dcq "$SCRATCH/both.tar.zst" | tar -tf - | sort | tr '\n' ' ')" "d1/one.log d2/sub/two.log " "members under each DIR's name"

# --- --delete-older-than: plain, compressed and archives; directories stay -------
D=$SCRATCH/e
mkfile "$D/old.log" "$ANCIENT"
mkfile "$D/keep.log" "$OLD"
mkfile "$D/empty/old.txt" "$ANCIENT"
gzip -c "$D/keep.log" >"$D/ancient.log.gz" && touch -d "$ANCIENT" "$D/ancient.log.gz"
tar -cf "$D/logs-20240601.tar" -C "$D" keep.log && touch -d "$ANCIENT" "$D/logs-20240601.tar"
run opsarchive files "$D" --delete-older-than 365d
assert_rc 0
assert_eq "$(awk 'NR>1 {print $1, $2}' "$OUT_FILE" | sort | tr '\n' ' ')" \
  "deleted $D/ancient.log.gz deleted $D/empty/old.txt deleted $D/logs-20240601.tar deleted $D/old.log " "what was deleted"
assert_file_exists "$D/keep.log"
[[ -d $D/empty ]] || fail "the emptied directory was removed"
ASSERTIONS=$((ASSERTIONS + 1))

# --- a dry run says what it would do and changes nothing -----------------------
D=$SCRATCH/n
mkfile "$D/a.log" "$OLD"
mkfile "$D/b/old.log" "$ANCIENT"
mkfile "$D/c.log" "$OLD" && gzip -k "$D/c.log" && touch -d "$OLD" "$D/c.log.gz"
printf 'partial' >"$D/.a.log.gz.opsarchive-tmp.Ab12Cd"
before=$(tree_state --mtime "$D")
run opsarchive -n files "$D" --older-than 90d --compress --delete-older-than 365d
assert_rc 0
assert_out_matches "^would-compress +$D/a.log "
assert_out_matches "^would-delete +$D/b/old.log "
assert_out_matches "^would-remove-original +$D/c.log "
assert_out_matches "^would-remove-temp +$D/.a.log.gz.opsarchive-tmp.Ab12Cd "
run opsarchive files "$D" --older-than 90d --into-tar "$D/x.tar.xz" --dry-run
assert_rc 0
assert_out_matches "^would-create +$D/x.tar.xz "
assert_tree_unchanged "$before" "$D" "dry runs changed nothing"

# --- crash leftovers: a temporary file, and an original beside its whole .gz ----
run opsarchive files "$D" --older-than 90d --compress
assert_rc 0
assert_out_matches "^removed-temp +$D/.a.log.gz.opsarchive-tmp.Ab12Cd "
assert_out_matches "^removed-original +$D/c.log "
assert_no_file "$D/.a.log.gz.opsarchive-tmp.Ab12Cd"
assert_no_file "$D/c.log"
zcat "$D/c.log.gz" | cmp -s - <(seq -f "line %g of c.log" 1 2000) || fail "c.log.gz lost its content"

# --- an existing NAME.gz with other content is never overwritten ----------------
D=$SCRATCH/x
mkfile "$D/app.log" "$OLD"
echo "someone else's" | gzip >"$D/app.log.gz"
before=$(tree_state --mtime "$D")
run opsarchive files "$D" --older-than 90d --compress
assert_rc 1
assert_err_contains "opsarchive: warning: $D/app.log.gz exists with other content; $D/app.log not compressed"
assert_tree_unchanged "$before" "$D" "neither file changed"

# --- bad usage: exit 3, one line (and a hint), nothing changed ------------------
D=$SCRATCH/u
mkfile "$D/a.log" "$ANCIENT"
before=$(tree_state --mtime "$D")
run opsarchive files "$D" "$SCRATCH/missing" --older-than 90d --compress
assert_rc 3
assert_err_matches "^opsarchive: error: cannot use directory $SCRATCH/missing: No such file or directory$"
assert_eq "$(wc -l <"$ERR_FILE")" 1 "one line"
run opsarchive files "$D" --older-than 90 --compress
assert_rc 3
assert_err_contains "--older-than: invalid duration '90'"
run opsarchive files "$D" --older-than 90d --compress --delete-older-than 30d
assert_rc 3
assert_err_contains "--delete-older-than 30d must be longer than --older-than 90d"
run opsarchive files "$D"
assert_rc 3
assert_err_contains "nothing to do"
assert_err_contains "hint: give --compress, --into-tar PATH or --delete-older-than DURATION"
run opsarchive files "$D" --compress
assert_rc 3
assert_err_contains "--compress needs --older-than DURATION"
run opsarchive files "$D" --older-than 90d --compress --into-tar "$SCRATCH/x.tar"
assert_rc 3
run opsarchive files "$D" --older-than 90d --into-tar "$SCRATCH/x.zip"
assert_rc 3
assert_err_contains "unknown archive type"
run opsarchive files "$D" --older-than 90d --compress --level 12
assert_rc 3
assert_err_contains "out of range for gzip"
# Zero is every file, the one being written included: never a retention rule.
run opsarchive files "$D" --delete-older-than 0s
assert_rc 3
assert_err_contains "--delete-older-than 0s: must be more than zero"
run opsarchive files "$D" --older-than 0d --compress
assert_rc 3
assert_err_contains "--older-than 0s: must be more than zero"
assert_tree_unchanged "$before" "$D" "bad usage changed nothing"

# --- SIGKILL at random moments: nothing lost, nothing doubled, no partial .gz ---
F=$SCRATCH/fault
python3 - "$SCRATCH/pristine" <<'PY'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(11)
words = ["GET", "POST", "/api/v1/case", "/login", "200", "404", "500", "user", "session", "slow"]
for i in range(200):
    d = os.path.join(root, ["", "a", "a/b"][i % 3])
    os.makedirs(d, exist_ok=True)
    target, size, n, lines = rnd.randint(20_000, 120_000), 0, 0, []
    while size < target:
        line = f"2025-08-{rnd.randint(1, 28):02d} {rnd.choice(words)} {rnd.choice(words)} {rnd.randint(0, 10**9)} f{i} {n}\n"
        lines.append(line)
        size += len(line)
        n += 1
    with open(os.path.join(d, f"f{i:03d}.log"), "w") as f:
        f.write("".join(lines))
PY
find "$SCRATCH/pristine" -type f -exec touch -d "$OLD" {} +
(cd "$SCRATCH/pristine" && find . -type f -exec sha256sum {} + | sort -k2) >"$SCRATCH/expected"
# check_tree mid|final: every original's content is there, as plain or .gz;
# every .gz is whole; after a complete run each exactly once and no temporary.
check_tree() {
  python3 - "$F" "$SCRATCH/expected" "$1" <<'PY' || fail "check_tree $1 failed"
import gzip, hashlib, os, re, sys
root, expected, mode = sys.argv[1:4]
want = {}
for line in open(expected):
    digest, name = line.split(maxsplit=1)
    want[os.path.normpath(name.strip())] = digest
problems, seen = [], set()
for d, _, files in os.walk(root):
    for f in files:
        rel = os.path.relpath(os.path.join(d, f), root)
        if re.fullmatch(r"\..*\.opsarchive-tmp\.[A-Za-z0-9]{6}", f):
            if mode == "final":
                problems.append("temporary file left: " + rel)
            continue
        plain = rel[:-3] if rel.endswith(".gz") else rel
        if plain not in want:
            problems.append("unexpected file: " + rel)
            continue
        try:
            data = gzip.open(os.path.join(root, rel)).read() if rel.endswith(".gz") else open(os.path.join(root, rel), "rb").read()
        except Exception as e:
            problems.append(f"{rel}: {e}")
            continue
        if hashlib.sha256(data).hexdigest() != want[plain]:
            problems.append(rel + ": wrong content")
        if mode == "final" and plain in seen:
            problems.append(plain + ": twice (plain and .gz)")
        seen.add(plain)
for name in want:
    if name not in seen:
        problems.append(name + ": LOST")
if problems:
    print("\n".join(problems[:20]))
sys.exit(1 if problems else 0)
PY
  ASSERTIONS=$((ASSERTIONS + 1))
}
cp -a "$SCRATCH/pristine" "$F"
start=${EPOCHREALTIME/./}
opsarchive files "$F" --older-than 90d --compress -q || fail "the first full run failed"
run_us=$((${EPOCHREALTIME/./} - start))
check_tree final
rm -rf "$F" && cp -a "$SCRATCH/pristine" "$F"
killed=0 completed=0 i=0
while ((killed < 20)); do
  i=$((i + 1))
  ((i <= 60)) || fail "only $killed of 60 kills landed while opsarchive ran"
  opsarchive files "$F" --older-than 90d --compress -q 2>/dev/null &
  pid=$!
  delay_us=$(((RANDOM * 32768 + RANDOM) % (run_us / 3 + 1)))
  sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  case $rc in
    137) killed=$((killed + 1)) && check_tree mid ;;
    0) completed=$((completed + 1)) && check_tree final && rm -rf "$F" && cp -a "$SCRATCH/pristine" "$F" ;;
    *) fail "run $i exited $rc" ;;
  esac
done
run opsarchive files "$F" --older-than 90d --compress
assert_rc 0
check_tree final
echo "fault: $killed of $i runs killed mid-run, $completed completed before the kill (a full run takes about $((run_us / 1000)) ms)"
