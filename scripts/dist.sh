#!/usr/bin/env bash
# Packages the Windows build for users (`make dist` builds win64 and win32
# first, then calls this):
#
#   scripts/dist.sh [OUT_DIR]      OUT_DIR defaults to build/dist
#
# writes OUT_DIR/asio2wasapi-<version>-setup.exe (the NSIS installer,
# installer/asio2wasapi.nsi) and OUT_DIR/asio2wasapi-<version>.zip (the same
# files, for registering by hand), <version> being the CMake project version
# (build/<preset>/version.txt). It does not build: it fails naming what is
# missing. The shipped binaries are the built ones without their debug
# information (strip --strip-debug), checked to need no MinGW runtime DLL.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${A2W_BUILD:-build}
[[ $build == /* ]] || build=$root/$build
out=${1:-$build/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)

fail() {
  echo "dist: $*" >&2
  exit 1
}

command -v makensis >/dev/null || fail "makensis is not installed (scripts/install-deps.sh installs nsis)"
command -v zip >/dev/null || fail "zip is not installed (scripts/install-deps.sh)"

win64=$build/win64
win32=$build/win32
for f in "$win64/version.txt" "$win32/version.txt"; do
  [[ -f $f ]] || fail "$f is missing: configure and build the win64 and win32 presets (make build-win64 build-win32)"
done
version=$(cat "$win64/version.txt")
[[ $version == "$(cat "$win32/version.txt")" ]] ||
  fail "build/win64 is version $version but build/win32 is $(cat "$win32/version.txt"): rebuild both"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version \"$version\" is not x.y.z"

# What ships, as "source|destination in the package|strip with" (one list for
# the installer and the zip; installer/asio2wasapi.nsi names the same files).
files=(
  "$win64/bin/asio2wasapi_x64.dll|asio2wasapi_x64.dll|x86_64-w64-mingw32-strip"
  "$win32/bin/asio2wasapi_x86.dll|asio2wasapi_x86.dll|i686-w64-mingw32-strip"
  "$win64/bin/asio2wasapi-panel.exe|asio2wasapi-panel.exe|x86_64-w64-mingw32-strip"
  "$win64/bin/asiohost.exe|asiohost.exe|x86_64-w64-mingw32-strip"
  "$win64/bin/a2w-instances.exe|a2w-instances.exe|x86_64-w64-mingw32-strip"
  "$win32/bin/a2w-instances.exe|x86/a2w-instances.exe|i686-w64-mingw32-strip"
  "$root/README.md|README.md|"
)
# Every document, where README.md's links expect it.
for doc in "$root"/docs/*.md; do files+=("$doc|docs/$(basename "$doc")|"); done

name=asio2wasapi-$version
stage=$out/stage/$name
rm -rf "$out/stage"
mkdir -p "$stage"
for entry in "${files[@]}"; do
  IFS='|' read -r src dest strip <<<"$entry"
  [[ -f $src ]] || fail "$src is missing: build it first (make build-win64 build-win32)"
  mkdir -p "$(dirname "$stage/$dest")"
  if [[ -n $strip ]]; then
    "$strip" --strip-debug -o "$stage/$dest" "$src"
    # Only Windows' own DLLs: the toolchain links its runtimes statically
    # (cmake/mingw-w64-common.cmake), and a user's machine has no MinGW.
    if x86_64-w64-mingw32-objdump -p "$stage/$dest" | grep -iE 'DLL Name: *(libstdc|libgcc|libwinpthread)' >&2; then
      fail "$dest needs a MinGW runtime DLL"
    fi
  else
    cp "$src" "$stage/$dest"
  fi
done
# The folder's own read-me, with Windows line ends for Notepad.
sed -e "s/@VERSION@/$version/" -e 's/$/\r/' "$root/installer/README.txt" >"$stage/README.txt"

setup=$out/$name-setup.exe
zipfile=$out/$name.zip
rm -f "$setup" "$zipfile"
makensis -V2 -NOCD -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" "$root/installer/asio2wasapi.nsi" \
  >"$out/makensis.log" 2>&1 || { tail -n 20 "$out/makensis.log" >&2; fail "makensis failed; see $out/makensis.log"; }
(cd "$out/stage" && zip -q -r -X "$zipfile" "$name")

echo "dist: $setup ($(stat -c %s "$setup") bytes)"
echo "dist: $zipfile ($(stat -c %s "$zipfile") bytes)"
