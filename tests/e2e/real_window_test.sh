#!/bin/bash
# The real ht-kiosk in a real X window under Xvfb: the X server's own screenshot must be the attract
# screen (matching the app's --screenshot, with text on it), a click must change the screen, an idle
# kiosk must use no CPU, and without a display it must say so in one line and exit 3.
# usage: real_window_test.sh KIOSK ADMIN [SHOTS]   (ADMIN: ht-admin, to make the config and database
# with "demo"; SHOTS: a folder to save a screenshot of every screen in en-GB, ur and bn for review)
set -u
kiosk=$1
admin=${2:-}
shots=${3:-}  # optional: a folder for a screenshot of every screen

fail() { echo "FAIL: $*" >&2; exit 1; }
# Under HTK_SANITIZE: Mesa's GL driver is dlclose()d at exit, so its few allocations report as
# unsymbolizable leaks. Our code's leaks are checked by the headless suites, which use no GL.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
note() { echo "-- $*"; }

if ! command -v Xvfb >/dev/null; then
    echo "SKIP: Xvfb is not installed, so there is no X server to open a real window on (apt-get install xvfb)"
    exit 77
fi
for tool in xdotool import compare convert identify; do
    command -v "$tool" >/dev/null || fail "$tool is missing: install the packages in image/packages-dev.txt"
done

work=$(mktemp -d)
xvfb_pid=
kiosk_pid=
cleanup() {
    [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null && wait "$kiosk_pid" 2>/dev/null
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# A config and database as the set-up script makes them.
[ -n "$admin" ] && [ -x "$admin" ] || fail "ht-admin is needed to make the demo database: $admin"
"$admin" demo --data-dir "$work/data" >"$work/admin.log" 2>&1 || fail "ht-admin demo failed: $(cat "$work/admin.log")"
conf=$work/data/kiosk.conf
[ -f "$conf" ] || fail "ht-admin demo wrote no $conf"

# 1. No display: one line, exit 3.
err=$(env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$kiosk" --config "$conf" 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 3 ] || fail "without a display the exit code is $rc, not 3"
[ "$err" = "ht-kiosk: no display: set DISPLAY or WAYLAND_DISPLAY (or run under Xvfb)" ] ||
    fail "without a display stderr was not the one line expected: [$err]"
note "no display: exit 3, one line"

# 2. An X server on a free display number: Xvfb picks it and writes it to fd 5 once it is ready.
Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=":$(head -n 1 "$work/display")"
unset WAYLAND_DISPLAY SDL_VIDEODRIVER
note "Xvfb on $DISPLAY"

# 3. A bad config with a display: one line naming the file and key, exit 2, nothing written.
sed 's/^public_key = .*/public_key = not-a-key/' "$conf" >"$work/bad.conf"
err=$("$kiosk" --config "$work/bad.conf" --window 1280x800 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || fail "a bad public_key gave exit code $rc, not 2"
[ "$err" = "ht-kiosk: $work/bad.conf: [practice] public_key: not 32 bytes of base64" ] ||
    fail "a bad public_key gave [$err]"
note "bad config: exit 2, one line"

# A database file that is not SQLite: one line naming it, exit 2, the file left byte for byte.
printf 'not a database, just text\n' >"$work/junk.db"
sed "s|^database = .*|database = $work/junk.db|" "$conf" >"$work/junk.conf"
sum=$(sha256sum <"$work/junk.db")
err=$("$kiosk" --config "$work/junk.conf" 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] || fail "with a file that is not a database the exit code is $rc, not 2"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && printf '%s' "$err" | grep -q "$work/junk.db" ||
    fail "with a file that is not a database stderr was not one line naming it: [$err]"
[ "$(sha256sum <"$work/junk.db")" = "$sum" ] || fail "the kiosk changed a file that is not its database"
note "not a database: exit 2, one line, file unchanged"

# 4. The app's own screenshots: what each screen should look like at this size.
for shot in "attract" "attract --renderer software" "home --screen home" "language --screen language"; do
    set -- $shot
    name=$1
    shift
    file=$work/self-$name.png
    [ "$*" = "--renderer software" ] && file=$work/self-attract-software.png
    "$kiosk" --config "$conf" --window 1280x800 "$@" --screenshot "$file" --frames 3 2>>"$work/kiosk.log" ||
        fail "ht-kiosk --screenshot $* failed: $(cat "$work/kiosk.log")"
    [ -s "$file" ] || fail "no screenshot $file"
done

rmse() { compare -metric RMSE "$1" "$2" null: 2>&1 | sed -n 's/.*(\([0-9.e-]*\)).*/\1/p'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

r=$(rmse "$work/self-attract.png" "$work/self-attract-software.png")
below "$r" 0.03 || fail "the software renderer's attract screen differs from OpenGL's (RMSE $r)"
note "OpenGL and software renderers agree (RMSE $r)"

# Where OpenGL cannot be had (here: Mesa finds no driver), ht-kiosk falls back by itself.
LIBGL_DRIVERS_PATH=$work/no-gl-drivers "$kiosk" --config "$conf" --window 1280x800 \
    --screenshot "$work/fallback.png" 2>"$work/fallback.log" || fail "without OpenGL ht-kiosk failed: $(cat "$work/fallback.log")"
grep -q "using the software renderer" "$work/fallback.log" || fail "without OpenGL it did not say it fell back"
r=$(rmse "$work/fallback.png" "$work/self-attract-software.png")
below "$r" 0.02 || fail "without OpenGL the attract screen is wrong (RMSE $r)"
note "no OpenGL: software fallback (RMSE $r)"

# A display that is named but cannot be opened: one line, exit 3.
err=$(DISPLAY=:65535 "$kiosk" --config "$conf" 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 3 ] || fail "with DISPLAY=:65535 the exit code is $rc, not 3"
[ "$(printf '%s\n' "$err" | grep -c '^ht-kiosk:')" -eq 1 ] &&
    printf '%s\n' "$err" | tail -n 1 | grep -q '^ht-kiosk: no display: cannot open DISPLAY=:65535' ||
    fail "with DISPLAY=:65535 stderr was not one clear line: [$err]"
note "unreachable display: exit 3"

# Captures the screen until it matches `want` (RMSE below 0.02) or 10 s pass; sets $r to the last RMSE.
capture_until() {
    local out=$1 want=$2
    for _ in $(seq 20); do
        import -window root "$out" || fail "import could not capture the screen"
        r=$(rmse "$out" "$want")
        below "$r" 0.02 && return 0
        sleep 0.5
    done
    return 1
}

# 5. The real window, captured by the X server itself.
"$kiosk" --config "$conf" --window 1280x800 2>"$work/run.log" &
kiosk_pid=$!
timeout 20 xdotool search --sync --onlyvisible --name '^Health Trainer Kiosk$' >/dev/null ||
    fail "no kiosk window appeared: $(cat "$work/run.log")"
capture_until "$work/x-attract.png" "$work/self-attract.png" ||
    fail "the window does not show the attract screen (RMSE $r against --screenshot)"
r_home=$(rmse "$work/x-attract.png" "$work/self-home.png")
below 0.05 "$r_home" || fail "the attract and home screens are too alike to tell apart (RMSE $r_home)"
colours=$(identify -format '%k' "$work/x-attract.png")
[ "$colours" -gt 100 ] || fail "the window has only $colours colours: blank or flat"
# White text on the blue pill in the lower half, dark blue heading in the upper half.
white=$(convert "$work/x-attract.png" -crop 1280x400+0+400 +repage -fuzz 4% -fill black +opaque white \
    -fill white -opaque white -format '%[fx:int(mean*w*h+0.5)]' info:)
heading=$(convert "$work/x-attract.png" -crop 1280x400+0+0 +repage -fuzz 4% -fill black +opaque '#003087' \
    -fill white -opaque '#003087' -format '%[fx:int(mean*w*h+0.5)]' info:)
[ "$white" -gt 1000 ] || fail "no \"Touch to start\" text: $white white pixels in the lower half"
[ "$heading" -gt 1000 ] || fail "no practice name: $heading heading-blue pixels in the upper half"
note "X screenshot is the attract screen (RMSE $r; $colours colours; $white text and $heading heading pixels)"

# 6. An idle kiosk draws nothing: CPU time over 5 s.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
t0=$(ticks "$kiosk_pid")
sleep 5
t1=$(ticks "$kiosk_pid")
hz=$(getconf CLK_TCK)
cpu=$(awk -v d=$((t1 - t0)) -v hz="$hz" 'BEGIN { printf "%.2f", 100 * d / hz / 5 }')
[ $((t1 - t0)) -le $((hz / 10)) ] || fail "the idle attract screen used ${cpu}% CPU over 5 s"
note "idle CPU ${cpu}% over 5 s"

# 7. A click (xdotool sends real X pointer events) starts a session: home with one language
# installed, else the language picker.
xdotool mousemove 640 400 click 1 || fail "xdotool could not click"
next=
for _ in $(seq 20); do
    import -window root "$work/x-next.png" || fail "import could not capture the screen"
    for name in home language; do
        r=$(rmse "$work/x-next.png" "$work/self-$name.png")
        below "$r" 0.02 && next=$name && break 2
    done
    sleep 0.5
done
[ -n "$next" ] || fail "after a click the window shows neither home nor the language picker"
note "a click on attract opened \"$next\" (RMSE $r)"

# 8. SIGTERM ends it cleanly, at once, even while it sleeps.
kill -TERM "$kiosk_pid"
for _ in $(seq 50); do kill -0 "$kiosk_pid" 2>/dev/null || break; sleep 0.1; done
wait "$kiosk_pid"
rc=$?
kiosk_pid=
[ "$rc" -eq 0 ] || fail "after SIGTERM the exit code is $rc, not 0"
note "SIGTERM: clean exit"

# 9. A whole self-referral through the real window: xdotool clicks each widget by its catalog key
# (the kiosk writes its widgets' rects with --rects), then ht-admin, unlocked, lists the request.
rects=$work/rects.txt
"$kiosk" --config "$conf" --window 1280x800 --rects "$rects" 2>"$work/referral.log" &
kiosk_pid=$!
timeout 20 xdotool search --sync --onlyvisible --name '^Health Trainer Kiosk$' >/dev/null ||
    fail "no kiosk window for the referral: $(cat "$work/referral.log")"
win_x=$(xdotool search --onlyvisible --name '^Health Trainer Kiosk$' getwindowgeometry | awk '/Position/ { split($2, p, ","); print p[1] }')
win_y=$(xdotool search --onlyvisible --name '^Health Trainer Kiosk$' getwindowgeometry | awk '/Position/ { split($2, p, ","); print p[2] }')
tap() {  # tap KEY: click the centre of the widget drawn under KEY, then wait for the next frame
    local key=$1 line=
    for _ in $(seq 40); do
        line=$(awk -v k="$key" '$1 == k { print $2 + $4 / 2, $3 + $5 / 2; exit }' "$rects" 2>/dev/null)
        [ -n "$line" ] && break
        sleep 0.1
    done
    [ -n "$line" ] || fail "referral: \"$key\" is not on screen (shown: $(cut -d' ' -f1 "$rects" | tr '\n' ' '))"
    set -- $line
    local before
    before=$(stat -c %Y.%s "$rects" 2>/dev/null; md5sum <"$rects")
    xdotool mousemove $((win_x + ${1%.*})) $((win_y + ${2%.*})) click 1 || fail "xdotool could not click $key"
    for _ in $(seq 20); do
        [ "$(stat -c %Y.%s "$rects" 2>/dev/null; md5sum <"$rects")" != "$before" ] && break
        sleep 0.05
    done
    sleep 0.1
}
tap attract.touch
tap language.en-GB
tap home.refer
tap reasons.eating
tap common.next
tap common.next                       # the note is optional
tap keyboard.shift; tap keyboard.key.A
for c in m i n a; do tap "keyboard.key.$c"; done
tap keyboard.space
tap keyboard.shift; tap keyboard.key.N
for c in o o r; do tap "keyboard.key.$c"; done
tap common.next
for d in 1 4 0 5 1 9 6 8; do tap "numpad.$d"; done
tap common.next
for d in 0 7 4 0 0 1 2 3 4 5 6; do tap "numpad.$d"; done
tap common.next
tap times.morning
tap common.next
tap common.next                       # contact language: the session's
tap consent.agree
tap review.send
tap sent.finish                       # the Sent screen has its one button
kill -TERM "$kiosk_pid"; wait "$kiosk_pid"; kiosk_pid=
listed=$("$admin" requests list --database "$work/data/kiosk.db" --reveal --staff "Demo Manager" --passphrase-fd 3 \
    3<"$work/data/demo-passphrase" 2>&1) || fail "ht-admin requests list failed: $listed"
printf '%s\n' "$listed" | grep -q "Amina Noor" || fail "the referral typed through the window is not listed: $listed"
printf '%s\n' "$listed" | grep -q "+447400123456\|07400 123456" || fail "its phone number is not listed: $listed"
grep -q "Amina" "$work/referral.log" && fail "the kiosk logged the patient's name"
note "a referral typed through the real window is in ht-admin requests list"

# 10. Every screen in English, Urdu and Bengali (landscape; Urdu portrait too), saved for review by eye.
if [ -n "$shots" ]; then
    mkdir -p "$shots"
    for lang in en-GB ur bn; do
        for screen in $("$kiosk" --list-screens); do
            sizes=1920x1080
            [ "$lang" = ur ] && sizes="1920x1080 1080x1920"  # portrait once, right-to-left
            for size in $sizes; do
                "$kiosk" --config "$conf" --lang "$lang" --screen "$screen" --window "$size" \
                    --screenshot "$shots/$lang-$screen-$size.png" 2>>"$work/shots.log" ||
                    fail "no screenshot of $screen in $lang at $size: $(tail -n 3 "$work/shots.log")"
            done
        done
    done
    note "screenshots of every screen in en-GB, ur and bn: $shots"
    # The desk app on the same database: each view, a request in Urdu script, and the form.
    for view in "--tab requests" "--tab week" "--tab waiting" "--tab trainers" "--tab reports" "--tab audit" \
                "--select new" "--select $(printf '%s\n' "$listed" | awk '$7 == "ur" {print $1; exit}')"; do
        name=$(printf '%s' "$view" | tr -c 'a-zA-Z0-9\n' '-' | sed 's/^-*//')
        "$admin" --database "$work/data/kiosk.db" desk --staff "Demo Manager" --passphrase-fd 3 $view \
            --screenshot "$shots/desk-$name.png" 3<"$work/data/demo-passphrase" 2>>"$work/shots.log" ||
            fail "no screenshot of the desk ($view): $(tail -n 3 "$work/shots.log")"
    done
    note "screenshots of the desk app's views: $shots/desk-*.png"
fi
echo "PASS"
