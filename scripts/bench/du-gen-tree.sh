#!/usr/bin/env bash
# du-gen-tree.sh DIR [FILES] — make (or reuse) the file tree scripts/bench/du.sh
# measures: DIR/tree with FILES regular files (default 200000), 100 to a
# directory, in three levels of directories with some deeper ones, sizes from
# empty to 256 KiB (mostly small, as in a real /var or /home), plus 1000 hard
# links and a few symlinks. The same FILES always gives the same tree; a tree
# already complete in DIR is reused.
set -euo pipefail

dir=${1:?usage: du-gen-tree.sh DIR [FILES]}
files=${2:-200000}
tree=$dir/tree
stamp=$dir/complete
want="ops du bench tree v1 files=$files"

if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  exit 0
fi
echo "du-gen-tree: making $files files in $tree ..." >&2
rm -rf "$tree" "$stamp"
mkdir -p "$tree"

# Leaf i is tree/tTOP/mMID/lI; every tenth leaf puts half its files two levels deeper.
leaves=$(((files + 99) / 100))
awk -v root="$tree" -v leaves="$leaves" 'BEGIN {
  for (i = 0; i < leaves; i++) {
    leaf = sprintf("%s/t%02d/m%d/l%d", root, i % 20, int(i / 20) % 10, i)
    print (i % 10 == 0 ? leaf "/deeper/still" : leaf)
  }
}' | xargs -d '\n' mkdir -p

# One awk process writes every file: no process per file.
awk -v root="$tree" -v leaves="$leaves" -v files="$files" 'BEGIN {
  srand(42)
  pad = "x"
  while (length(pad) < 262144) pad = pad pad
  n = 0
  for (i = 0; i < leaves && n < files; i++) {
    leaf = sprintf("%s/t%02d/m%d/l%d", root, i % 20, int(i / 20) % 10, i)
    for (j = 0; j < 100 && n < files; j++) {
      n++
      r = rand()
      if (r < 0.75) size = int(rand() * 1024)
      else if (r < 0.97) size = 1024 + int(rand() * 7168)
      else if (r < 0.998) size = 8192 + int(rand() * 57344)
      else size = 65536 + int(rand() * 196608)
      d = (i % 10 == 0 && j % 2 == 1) ? leaf "/deeper/still" : leaf
      f = sprintf("%s/file%03d.dat", d, j)
      printf "%s", substr(pad, 1, size) > f
      close(f)
    }
  }
}'

# Hard links (counted once by every tool) and symlinks (never followed).
cp -al "$tree/t00/m0" "$tree/hardlinks"
ln -s ../t01 "$tree/t00/link-to-t01"
ln -s / "$tree/t02/link-to-root"
ln -s nowhere "$tree/t03/dangling"

sync
echo "$want" >"$stamp"
