#!/bin/bash
# The packaged ht-kiosk (extracted from the .deb, with its packs and pictograms) under cage as
# ht-kiosk.service runs it: a non-root user, SDL_VIDEODRIVER=wayland, its own XDG_RUNTIME_DIR, no
# input devices, wlroots' software renderer (pixman). As root the test makes a throwaway system user
# (cage refuses root). Two runs:
# 1. wlroots' headless backend: the kiosk picks GLES by itself and its own screenshot (read back
#    from GLES) is the attract screen. The compositor's screenshot is not used here: with wlroots
#    0.15's headless backend and pixman, grim gets a black frame whatever the client draws (an
#    Xwayland client too), so it would prove nothing.
# 2. wlroots' X11 backend in Xvfb (cage as an X window): grim's screenshot, what the compositor
#    shows, is the attract screen: the right size, not blank, many colours.
# usage: cage_test.sh DEB_DIR [SHOTS]   (SHOTS: a folder to keep both screenshots in for review)
set -u
debs=("$1"/*.deb)
keep=${2:-}
fail() { echo "FAIL: $*" >&2; [ -n "${work:-}" ] && for f in "$work"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; grep -v '^ALSA' "$f" | tail -n 30 >&2; }; done; exit 1; }
note() { echo "-- $*"; }
# Under HTK_SANITIZE: Mesa's drivers are dlclose()d at exit and their allocations report as leaks
# (as in tests/e2e); our own leaks are checked by the headless suites.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $1, found: ${debs[*]}"
for tool in cage grim Xwayland Xvfb identify convert; do
    command -v "$tool" >/dev/null || fail "$tool is missing: install the packages in image/packages-dev.txt"
done

user=
made_user=
xvfb_pid=
work=$(mktemp -d /tmp/htk-cage-XXXXXX)
cleanup() {
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
    [ -n "$made_user" ] && userdel "$made_user" 2>/dev/null
}
trap cleanup EXIT
if [ "$(id -u)" -eq 0 ]; then
    # A throwaway user of our own, unless one is left over from an interrupted run.
    user=htk-cage-test
    if ! getent passwd "$user" >/dev/null; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" ||
            fail "cannot create the throwaway user $user"
        made_user=$user
    fi
    as_user() { runuser -u "$user" -- "$@"; }
else
    as_user() { "$@"; }
fi

dpkg-deb -x "${debs[0]}" "$work/root" || fail "dpkg-deb -x failed"
mkdir -m 0700 "$work/run"
[ -z "$user" ] || chown -R "$user" "$work"
chmod 0755 "$work"

# The packaged binaries read the packaged packs and pictograms (the .deb is not installed here).
env=(env -i PATH=/usr/bin:/bin HOME="$work" LANG=C.UTF-8 ASAN_OPTIONS="$ASAN_OPTIONS"
     HTK_LOCALES_DIR="$work/root/usr/share/ht-kiosk/locales" HTK_ASSETS_DIR="$work/root/usr/share/ht-kiosk/assets")
as_user "${env[@]}" "$work/root/usr/bin/ht-admin" demo --data-dir "$work/data" >"$work/admin.log" 2>&1 ||
    fail "ht-admin demo failed"
kiosk=$work/root/usr/bin/ht-kiosk
conf=$work/data/kiosk.conf
cage_env=("${env[@]}" XDG_RUNTIME_DIR="$work/run" SDL_VIDEODRIVER=wayland SDL_AUDIODRIVER=dummy
          WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1)

# A screenshot of the attract screen: at least WxH, thousands of colours (background, artwork,
# anti-aliased text), neither black nor white all over.
check_shot() {  # FILE WHAT MIN_W MIN_H
    local w h colours mean
    read -r w h colours < <(identify -format '%w %h %k\n' "$1") || fail "$2: identify could not read $1"
    [ "$w" -ge "$3" ] && [ "$h" -ge "$4" ] || fail "$2 is ${w}x${h}, not at least ${3}x${4}"
    [ "$colours" -ge 64 ] || fail "$2 has only $colours colours: blank or black"
    mean=$(convert "$1" -colorspace Gray -format '%[fx:mean]' info:)
    awk -v m="$mean" 'BEGIN { exit !(m > 0.05 && m < 0.98) }' || fail "$2 is nearly uniform (mean grey $mean)"
    note "$2: ${w}x${h}, $colours colours, mean grey $mean"
    if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$1" "$keep/$(basename "$1")"; fi
}

# 1. Headless: cage ends when ht-kiosk does, after it has written its screenshot.
as_user "${cage_env[@]}" WLR_BACKENDS=headless timeout 60 cage -- "$kiosk" --config "$conf" \
    --screenshot "$work/cage-headless-kiosk.png" >"$work/cage-headless.log" 2>&1
rc=$?
[ "$rc" -ne 124 ] || fail "headless cage did not finish within 60 s"
[ "$rc" -eq 0 ] || fail "headless cage with ht-kiosk exited $rc"
grep -q 'opengles2' "$work/cage-headless.log" ||
    fail "the kiosk did not choose GLES under Wayland: $(grep '^ht-kiosk' "$work/cage-headless.log" | head -n 2)"
note "headless cage as $(as_user id -un): $(grep '^ht-kiosk: [0-9]*x[0-9]*' "$work/cage-headless.log")"
check_shot "$work/cage-headless-kiosk.png" "the kiosk's own screenshot under headless cage" 640 480

# 2. cage as a window in Xvfb; the client starts the kiosk, waits for its first frame (the rects
# file is written after each frame is presented), lets the compositor show it, and takes the shot.
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start"
client='"$1" --config "$2" --rects "$3" 2>"$4" & k=$!
for i in $(seq 300); do [ -s "$3" ] && break; kill -0 $k 2>/dev/null || exit 3; sleep 0.1; done
[ -s "$3" ] || exit 4
sleep 1
grim "$5" || exit 5
kill $k; wait $k; exit 0'
as_user "${cage_env[@]}" DISPLAY=":$(head -n 1 "$work/display")" WLR_BACKENDS=x11 timeout 60 cage -- /bin/sh -c "$client" sh \
    "$kiosk" "$conf" "$work/rects.txt" "$work/kiosk-x11.log" "$work/cage-x11-grim.png" >"$work/cage-x11.log" 2>&1
rc=$?
case $rc in
    0) ;;
    3) fail "ht-kiosk exited before its first frame in cage on X11" ;;
    4) fail "ht-kiosk drew no frame within 30 s in cage on X11" ;;
    5) fail "grim could not take a screenshot of cage on X11" ;;
    124) fail "cage on X11 did not finish within 60 s" ;;
    *) fail "cage on X11 exited $rc" ;;
esac
grep -q 'opengles2' "$work/kiosk-x11.log" || fail "the kiosk did not choose GLES in cage on X11"
check_shot "$work/cage-x11-grim.png" "grim's screenshot of cage on X11" 640 480
echo "PASS"
