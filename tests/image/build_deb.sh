#!/bin/bash
# Builds the .deb with CPack into OUT (emptied first, so exactly one package is there afterwards).
# usage: build_deb.sh BUILD_DIR OUT
set -u
build=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 ||
    { cat "$out/cpack.log" >&2; echo "FAIL: cpack -G DEB failed" >&2; exit 1; }
ls "$out"/*.deb
