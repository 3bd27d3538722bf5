#!/bin/bash
# ht-kiosk --bench in a real window under Xvfb, started as tests/e2e/real_window_test.sh starts it,
# with both renderers and two frames a screen: stdout must be name<TAB>value<TAB>unit lines naming
# every figure tests/bench/run reads (each screen, each installed pack but the start language), each
# value a finite number. The values themselves are never judged.
# usage: kiosk_bench_test.sh KIOSK ADMIN LOCALES   (LOCALES: the build's compiled packs)
set -u
kiosk=$1
admin=$2
locales=$3

fail() { echo "FAIL: $*" >&2; exit 1; }
# Under HTK_SANITIZE: Mesa's GL driver is dlclose()d at exit (see real_window_test.sh).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

if ! command -v Xvfb >/dev/null; then
    echo "SKIP: Xvfb is not installed, so there is no X server to open a real window on (apt-get install xvfb)"
    exit 77
fi

work=$(mktemp -d)
xvfb_pid=
cleanup() {
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$admin" demo --data-dir "$work/data" >"$work/admin.log" 2>&1 || fail "ht-admin demo failed: $(cat "$work/admin.log")"

Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(head -n 1 "$work/display")"
unset WAYLAND_DISPLAY SDL_VIDEODRIVER

# What the bench must name: its overall figures, one per screen, one per pack it switches to (the
# demo's kiosk.conf lists every installed pack; en-GB is the start language, drawn from the start).
expected="frame_p50_ms frame_p99_ms frame_wall_p99_ms frame_build_p50_ms frame_build_p99_ms frame_open_p99_ms
          lang_switch_ms lang_switch_wall_ms lang_switch_build_ms pss_mb pss_anon_mb pss_file_mb"
for screen in $("$kiosk" --list-screens); do expected+=" frame_p99_ms.$screen"; done
packs=0
for dir in "$locales"/*/; do
    tag=$(basename "$dir")
    [ -f "$dir/manifest.ini" ] || continue
    packs=$((packs + 1))
    [ "$tag" = en-GB ] || expected+=" lang_switch_ms.$tag"
done
[ "$packs" -gt 1 ] || fail "fewer than two language packs in $locales"

for renderer in software gl; do
    out=$work/$renderer.tsv
    "$kiosk" --config "$work/data/kiosk.conf" --window 1280x800 --renderer "$renderer" --bench --frames 2 \
        >"$out" 2>"$work/$renderer.log" || fail "ht-kiosk --bench --renderer $renderer failed: $(tail -n 5 "$work/$renderer.log")"
    bad=$(awk -F '\t' 'NF != 3 || $2 !~ /^-?[0-9]+(\.[0-9]+)?$/ || $3 == "" { print NR ": " $0 }' "$out")
    [ -z "$bad" ] || fail "$renderer: lines that are not name<TAB>number<TAB>unit: $bad"
    dup=$(cut -f 1 "$out" | sort | uniq -d)
    [ -z "$dup" ] || fail "$renderer: named twice: $dup"
    for name in $expected; do
        cut -f 1 "$out" | grep -qxF "$name" || fail "$renderer: no $name in the output"
    done
    echo "-- $renderer: $(wc -l <"$out") figures, every expected one a number ($(grep -m 1 '^ht-kiosk: [0-9]' "$work/$renderer.log"))"
done
echo "PASS"
