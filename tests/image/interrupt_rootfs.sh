#!/usr/bin/env bash
# image/build-rootfs stopped by SIGTERM while mmdebstrap works (its bind mount of the .deb in place):
# it must be gone within 15 s, with no mmdebstrap, apt or dpkg left running, nothing mounted under
# its output and no half-built folder. Part of image-rootfs-check (root, network to the apt sources).
#   tests/image/interrupt_rootfs.sh DEB-DIR OUT-DIR
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deb_dir=$1 out=$2/rootfs-interrupted
fail() { echo "interrupt_rootfs: FAIL: $*" >&2; exit 1; }
mounts() { findmnt -rn -o TARGET | grep -F "$out.tmp." || true; }

log=$(mktemp)
"$top/image/build-rootfs" --no-kernel --out "$out" "$deb_dir" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do  # until mmdebstrap has mounted something: at most 60 s
  [ -n "$(mounts)" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "build-rootfs ended before mmdebstrap mounted anything"; }
  sleep 0.2
done
[ -n "$(mounts)" ] || { kill -TERM "$pid"; fail "mmdebstrap mounted nothing in 60 s"; }
sleep 5  # well into apt's work
start=$SECONDS
kill -TERM "$pid"
for _ in $(seq 1 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && fail "build-rootfs still running 15 s after SIGTERM"
echo "interrupt_rootfs: build-rootfs stopped $((SECONDS - start)) s after SIGTERM"
left=$(pgrep -af "mmdebstrap .*$out.tmp" || true)
[ -z "$left" ] || fail "still running: $left"
[ -z "$(mounts)" ] || fail "still mounted: $(mounts)"
ls -d "$out".tmp.* >/dev/null 2>&1 && fail "left behind: $(ls -d "$out".tmp.*)"
[ ! -e "$out" ] || fail "left behind: $out"
grep -q "interrupted" "$log" || { cat "$log" >&2; fail "build-rootfs did not say it was interrupted"; }
rm -f "$log"
echo "interrupt_rootfs: ok: nothing running, mounted or left behind"
