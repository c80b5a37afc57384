#!/usr/bin/env python3
"""craft_files_backup.py DIR NAME [--cut N] < SPEC

Writes a files backup DIR/NAME/NAME-20260101T000000Z.{tar.gz,manifest.json}
whose archive Python's tarfile makes from SPEC, one entry a line:
    file NAME [CONTENT]     a regular file (CONTENT, default "pwned")
    dir NAME                a directory
    symlink NAME TARGET     a symlink
    hardlink NAME TARGET    a hard link to an earlier entry
The manifest agrees with the archive (size, SHA-256, entry count), so the
restore's manifest check passes and its entry checks are what is tested.
--cut N keeps only the first N bytes of the plain archive (a truncated tar
that still decompresses, with a manifest that agrees with it)."""
import argparse, gzip, hashlib, io, json, os, sys, tarfile

p = argparse.ArgumentParser()
p.add_argument("root")
p.add_argument("name")
p.add_argument("--cut", type=int)
args = p.parse_args()

buf = io.BytesIO()
count = 0
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for line in sys.stdin.read().strip().splitlines():
        kind, path, *rest = line.split()
        info = tarfile.TarInfo(path)
        info.mtime = 1767225600
        data = b""
        if kind == "symlink":
            info.type, info.linkname = tarfile.SYMTYPE, rest[0]
        elif kind == "hardlink":
            info.type, info.linkname = tarfile.LNKTYPE, rest[0]
        elif kind == "dir":
            info.type, info.mode = tarfile.DIRTYPE, 0o755
        elif kind == "file":
            data = (rest[0] if rest else "pwned").encode() + b"\n"
            info.size, info.mode = len(data), 0o644
        else:
            sys.exit(f"unknown kind {kind}")
        tar.addfile(info, io.BytesIO(data))
        count += 1
plain = buf.getvalue()
if args.cut is not None:
    plain = plain[: args.cut]
d = os.path.join(args.root, args.name)
os.makedirs(d, exist_ok=True)
stem = f"{args.name}-20260101T000000Z"
blob = gzip.compress(plain)
open(f"{d}/{stem}.tar.gz", "wb").write(blob)
m = {"manifest_format": 1, "tool": "opsbackup", "tool_version": "0", "name": args.name, "kind": "files",
     "source": "/crafted", "dumper": "python tarfile", "dump_format": "pax",
     "started": "2026-01-01T00:00:00Z", "finished": "2026-01-01T00:00:00Z", "file": f"{stem}.tar.gz",
     "size": len(blob), "plain_size": len(plain), "sha256": hashlib.sha256(blob).hexdigest(),
     "compression": "gzip", "level": 6, "file_count": count, "warnings": [], "status": "complete"}
json.dump(m, open(f"{d}/{stem}.manifest.json", "w"), indent=2)
