#!/bin/bash
# The ht-kiosk .deb's contents and control data: both binaries in /usr/bin, every language pack
# compiled and every pictogram, the unit, /etc/default/ht-kiosk (a conffile), the example config,
# the maintainer scripts, and Depends: the linked libraries (dpkg-shlibdeps) and every package of
# the "# depends:" part of image/packages-runtime.txt.
# usage: deb_contents_test.sh DEB_DIR SOURCE_DIR
set -u
debs=("$1"/*.deb)
src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }
# Under HTK_SANITIZE: Mesa's drivers are dlclose()d at exit and their allocations report as leaks
# (as in tests/e2e); our own leaks are checked by the headless suites.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $1, found: ${debs[*]}"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "ht-kiosk_$(sed -n 's/^project(HealthTrainerKiosk VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")_$arch.deb" ] ||
    fail "unexpected file name $(basename "$deb")"
note "$(basename "$deb"): $(stat -c %s "$deb") bytes"

info=$(dpkg-deb -I "$deb") || fail "dpkg-deb -I failed"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = ht-kiosk ] || fail "Package is $(field Package)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is $(field Architecture)"

# Depends, one package name a line (versions and alternatives dropped).
depends=$(field Depends | tr ',' '\n' | sed -e 's/(.*)//' -e 's/|.*//' -e 's/[[:space:]]//g' | sort -u)
has_dep() { grep -qx "$1" <<<"$depends"; }
section=linked
while IFS= read -r line; do
    case "$line" in "# depends:"*) section=depends ;; esac
    pkg=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' <<<"$line")
    [ -n "$pkg" ] || continue
    # A linked library is in Depends through dpkg-shlibdeps; a package of the depends part is listed.
    # (dpkg-shlibdeps may name a virtual package the library provides: libphonenumber8-protobuf32)
    provides=$(dpkg-query -W -f='${Provides}' "$pkg" 2>/dev/null | tr ',' '\n' | sed -e 's/(.*)//' -e 's/[[:space:]]//g')
    has_dep "$pkg" || { [ "$section" = linked ] && [ -n "$provides" ] && grep -qxF -f <(printf '%s\n' $provides) <<<"$depends"; } ||
        fail "Depends lacks $pkg ($section part of image/packages-runtime.txt): $(field Depends)"
done <"$src/image/packages-runtime.txt"
field Depends | grep -q 'libc6 (>= ' || fail "Depends has no versioned libc6: dpkg-shlibdeps did not run: $(field Depends)"
note "Depends: $(wc -l <<<"$depends") packages, every one of image/packages-runtime.txt"

# The maintainer scripts, executable and valid sh; /etc/default/ht-kiosk a conffile.
ctl=$(mktemp -d)
trap 'rm -rf "$ctl"' EXIT
dpkg-deb -e "$deb" "$ctl/DEBIAN" || fail "dpkg-deb -e failed"
for script in postinst prerm postrm; do
    [ -x "$ctl/DEBIAN/$script" ] || fail "no executable $script"
    sh -n "$ctl/DEBIAN/$script" || fail "$script is not valid sh"
    cmp -s "$ctl/DEBIAN/$script" "$src/image/package/$script" || fail "$script differs from image/package/$script"
done
grep -q 'useradd --system' "$ctl/DEBIAN/postinst" && grep -q -- '--groups video' "$ctl/DEBIAN/postinst" ||
    fail "postinst does not create the kiosk user in group video"
grep -q 'install -d -o kiosk -g kiosk -m 0700 /var/lib/ht-kiosk' "$ctl/DEBIAN/postinst" || fail "postinst does not make /var/lib/ht-kiosk 0700"
grep -q 'rm -rf /var/lib/ht-kiosk' "$ctl/DEBIAN/postrm" || fail "postrm purge does not remove /var/lib/ht-kiosk"
grep -qx '/etc/default/ht-kiosk' "$ctl/DEBIAN/conffiles" 2>/dev/null || fail "/etc/default/ht-kiosk is not a conffile"
note "maintainer scripts: postinst, prerm, postrm; conffiles: $(tr '\n' ' ' <"$ctl/DEBIAN/conffiles")"

# The files, all owned by root.
listing=$(dpkg-deb -c "$deb") || fail "dpkg-deb -c failed"
files=$(awk '{print $6}' <<<"$listing" | sed 's|^\./|/|')
owners=$(awk '{print $2}' <<<"$listing" | sort -u)
[ "$owners" = "root/root" ] || fail "files not owned by root/root: $owners"
want() { grep -qx "$1" <<<"$files" || fail "the .deb has no $1"; }
mode() { awk -v f="./${1#/}" '$6 == f {print $1}' <<<"$listing"; }
for bin in /usr/bin/ht-kiosk /usr/bin/ht-admin; do
    want "$bin"
    [ "$(mode "$bin")" = "-rwxr-xr-x" ] || fail "$bin has mode $(mode "$bin")"
done
want /usr/lib/systemd/system/ht-kiosk.service
want /etc/default/ht-kiosk
want /usr/share/ht-kiosk/kiosk.conf.example
packs=0
for dir in "$src"/locales/*/; do
    tag=$(basename "$dir")
    [ -f "$dir/strings.txt" ] && [ -f "$dir/manifest.ini" ] || continue
    want "/usr/share/ht-kiosk/locales/$tag/manifest.ini"
    grep -q "^/usr/share/ht-kiosk/locales/$tag/.*\.res$" <<<"$files" || fail "the $tag pack has no compiled .res"
    packs=$((packs + 1))
done
[ "$packs" -ge 2 ] || fail "only $packs language packs found in $src/locales"
grep -q '/\.compiled$' <<<"$files" && fail "build markers (.compiled) are in the .deb"
pictos=0
for svg in "$src"/assets/pictograms/*.svg; do
    want "/usr/share/ht-kiosk/assets/pictograms/$(basename "$svg")"
    pictos=$((pictos + 1))
done
note "files: ht-kiosk, ht-admin, the unit, /etc/default/ht-kiosk, $packs language packs, $pictos pictograms"

# The unit and /etc/default file are the ones in image/systemd/; the binaries look for packs and
# pictograms under /usr/share/ht-kiosk, where the package puts them.
root=$(mktemp -d)
trap 'rm -rf "$ctl" "$root"' EXIT
dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x failed"
cmp -s "$root/usr/lib/systemd/system/ht-kiosk.service" "$src/image/systemd/ht-kiosk.service" || fail "the packaged unit differs from image/systemd/ht-kiosk.service"
cmp -s "$root/etc/default/ht-kiosk" "$src/image/systemd/ht-kiosk.default" || fail "/etc/default/ht-kiosk differs from image/systemd/ht-kiosk.default"
"$root/usr/bin/ht-kiosk" --help >/dev/null || fail "the packaged ht-kiosk --help failed"
"$root/usr/bin/ht-admin" --help >/dev/null || fail "the packaged ht-admin --help failed"
# Where the packaged binaries look by default (the paths are not plain strings in a stripped binary:
# ask them). Packs: a config without `locales` names the folder in its error, unless the package is
# installed here. Pictograms: a screen with icons names the missing files, unless installed here.
work=$(mktemp -d)
trap 'rm -rf "$ctl" "$root" "$work"' EXIT
run_env=(env -u HTK_LOCALES_DIR -u HTK_ASSETS_DIR SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy)
HTK_LOCALES_DIR="$root/usr/share/ht-kiosk/locales" "$root/usr/bin/ht-admin" demo --data-dir "$work/data" >"$work/admin.log" 2>&1 ||
    fail "the packaged ht-admin demo failed: $(cat "$work/admin.log")"
grep -q '^locales' "$work/data/kiosk.conf" && fail "ht-admin demo wrote a locales key; this check needs the default"
# The packaged ht-admin wraps staff keys at Argon2id's interactive cost (64 MiB, 2 passes), not the
# sanitizer build's minimum (kiosk/store/sealing.cpp).
costs=$(sqlite3 "$work/data/kiosk.db" "SELECT DISTINCT opslimit || ' ' || memlimit FROM staff_keys")
[ "$costs" = "2 67108864" ] || fail "the packaged ht-admin made staff keys at cost '$costs', not '2 67108864'"
if [ -d /usr/share/ht-kiosk/locales ]; then
    note "/usr/share/ht-kiosk/locales exists here (the package is installed): default packs folder not checked"
else
    err=$("${run_env[@]}" "$root/usr/bin/ht-kiosk" --config "$work/data/kiosk.conf" 2>&1 >/dev/null)
    grep -q 'no en-GB language pack in /usr/share/ht-kiosk/locales ' <<<"$err" ||
        fail "the packaged ht-kiosk does not look for packs in /usr/share/ht-kiosk/locales: $err"
fi
if [ -d /usr/share/ht-kiosk/assets ]; then
    note "/usr/share/ht-kiosk/assets exists here (the package is installed): default pictograms folder not checked"
else
    err=$("${run_env[@]}" HTK_LOCALES_DIR="$root/usr/share/ht-kiosk/locales" "$root/usr/bin/ht-kiosk" --config "$work/data/kiosk.conf" \
          --screen reasons --window 800x600 --screenshot "$work/reasons.png" 2>&1 >/dev/null) ||
        fail "the packaged ht-kiosk could not draw the reasons screen: $err"
    grep -q 'no file /usr/share/ht-kiosk/assets/pictograms/[a-z_]*\.svg' <<<"$err" ||
        fail "the packaged ht-kiosk does not look for pictograms in /usr/share/ht-kiosk/assets: $err"
fi
note "unit and defaults as in image/systemd/; binaries look in /usr/share/ht-kiosk"
echo "PASS"
