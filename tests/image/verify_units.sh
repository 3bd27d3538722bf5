#!/bin/bash
# `systemd-analyze verify` of the appliance's units (image/systemd/), with no warning allowed.
# verify checks that each Exec*= command's program exists (/usr/bin/cage, /bin/sh), not its
# arguments; the unit's /usr/bin/ht-kiosk is only an argument to cage, so a copy of the unit names
# the built ht-kiosk there instead and this script checks that it runs.
# usage: verify_units.sh UNITS_DIR KIOSK
set -u
units=$1
kiosk=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing: install the packages in image/packages-dev.txt (systemd)"
command -v cage >/dev/null || fail "cage is missing (the unit's ExecStart): install the packages in image/packages-dev.txt"
[ -x "$kiosk" ] || fail "no built ht-kiosk at $kiosk"
"$kiosk" --help >/dev/null || fail "$kiosk --help failed"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shopt -s nullglob
list=("$units"/*.service "$units"/*.socket "$units"/*.timer "$units"/*.target "$units"/*.path)
[ ${#list[@]} -gt 0 ] || fail "no units in $units"
for unit in "${list[@]}"; do
    grep -q '^ExecStart=.* /usr/bin/ht-kiosk ' "$unit" || [[ "$unit" != *ht-kiosk.service ]] ||
        fail "$unit does not run /usr/bin/ht-kiosk"
    sed "s| /usr/bin/ht-kiosk | $kiosk |" "$unit" >"$work/$(basename "$unit")"
done
# --man=no: Documentation=man:… would otherwise need man-db; colour off so the output reads plainly.
out=$(cd "$work" && SYSTEMD_COLORS=0 systemd-analyze verify --man=no ./*.* 2>&1)
rc=$?
[ "$rc" -eq 0 ] || fail "systemd-analyze verify exited $rc: $out"
[ -z "$out" ] || fail "systemd-analyze verify warned: $out"
echo "-- verified: $(cd "$work" && echo ./*.*)"
