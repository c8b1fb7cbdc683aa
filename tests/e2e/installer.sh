#!/usr/bin/env bash
# The installer as a user runs it, in a Wine prefix nothing was installed in:
#   1. scripts/dist.sh builds asio2wasapi-<version>-setup.exe and the zip
#      from the win64 and win32 builds;
#   2. `setup.exe /S` installs: the files in Program Files (the same bytes as
#      the zip's), the 64-bit registration pointing there, the x86 one as far
#      as this Wine can (see below), Start Menu entries, the Apps entry;
#   3. the INSTALLED asiohost prints the version and probes and plays (1 s,
#      shared mode, settings from a default.toml) through the installed
#      driver; the installed a2w-instances adds a named instance;
#   4. `uninstall.exe /S` removes everything: no file, no Start Menu entry, no
#      registry key or value naming the driver (HKLM and HKCU exported in
#      full and searched), the named instance included; the user's
#      settings and log stay;
#   5. install again, `uninstall.exe /S /REMOVECONFIG`: the settings go too.
#
# x86: the installer registers asio2wasapi_x86.dll with SysWOW64\regsvr32.exe.
# A Wine without wine32 (as here) has no such file: the installer must then
# skip it, say so in install.log and still install the 64-bit driver; with
# wine32 the test expects the 32-bit registration instead.
#
# The uninstaller runs from a copy in %TEMP% (NSIS does that so it can delete
# itself), so `wine uninstall.exe` returns at once: the test waits for the
# Apps entry (the Uninstall key) to go, which the uninstaller removes last.
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init installer

command -v makensis >/dev/null || e2e_fail "makensis is not installed (scripts/install-deps.sh installs nsis)"
version_file=$E2E_BUILD/win64/version.txt
e2e_need "$version_file"
version=$(cat "$version_file")
IFS=. read -r major minor patch <<<"$version"
version_number=$((major * 10000 + minor * 100 + patch))

# 1. The packages.
dist=$E2E_DIR/dist
A2W_BUILD=$E2E_BUILD "$E2E_ROOT/scripts/dist.sh" "$dist" >"$E2E_DIR/dist.log" 2>&1 ||
  { cat "$E2E_DIR/dist.log" >&2; e2e_fail "scripts/dist.sh failed"; }
setup=$dist/asio2wasapi-$version-setup.exe
stage=$dist/stage/asio2wasapi-$version
e2e_need "$setup" "$dist/asio2wasapi-$version.zip"

# A fresh prefix (about 5 s): "nothing left behind" is checked against one
# that never had the driver.
"$E2E_ROOT/scripts/wine-world.sh" down "$E2E_DIR/world" >/dev/null 2>&1 || true
rm -rf "$E2E_DIR/world/prefix" "$E2E_DIR/world/home"
e2e_world_own A2W_WORLD_SPEAKERS=null

drive_c=$WINEPREFIX/drive_c
pf=$drive_c/Program\ Files/asio2wasapi
pf_win='C:\Program Files\asio2wasapi'
menu=$drive_c/ProgramData/Microsoft/Windows/Start\ Menu/Programs/ASIO2WASAPI
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\asio2wasapi'
clsid='{D1EE06EC-7664-45C9-A79E-3FCAC436AB59}'

# The Linux path of a C: path.
unix_path() {
  local p=${1%$'\r'}
  p=${p#[Cc]:}
  printf '%s%s\n' "$drive_c" "${p//\\//}"
}
wine cmd /c 'echo %LOCALAPPDATA%' >"$E2E_DIR/localappdata.txt" 2>/dev/null
settings=$(unix_path "$(head -n 1 "$E2E_DIR/localappdata.txt")")/asio2wasapi
[[ $settings == "$drive_c"/users/*/asio2wasapi ]] || e2e_fail "unexpected %LOCALAPPDATA%: $(cat "$E2E_DIR/localappdata.txt")"

reg_has() { wine reg query "$@" >/dev/null 2>&1; }
reg_value() {  # KEY [NAME]: the data of a REG_SZ value (without NAME: the default value)
  local select=(/ve) name='(Default)'
  if [[ -n ${2:-} ]]; then select=(/v "$2"); name=$2; fi
  wine reg query "$1" "${select[@]}" >"$E2E_DIR/reg.txt" 2>&1 || return 0
  tr -d '\r' <"$E2E_DIR/reg.txt" | sed -n "s/^ *$name *REG_SZ *//p"
}

# traces FILE [EXTRA_PATTERN]: every registry line and every file naming the
# driver into FILE (empty when there is none). The registry is exported in
# full (HKLM with both views' keys, HKCU) and searched, so a key the test
# does not know of is found too. The settings folder is left out: whether it
# stays is checked on its own.
traces() {
  local out=$1 pattern="asio2wasapi|${clsid//[\{\}]/}${2:+|$2}" hive
  : >"$out"
  for hive in HKEY_LOCAL_MACHINE HKEY_CURRENT_USER; do
    rm -f "$E2E_DIR/export.reg"
    wine regedit /E "$(e2e_winpath "$E2E_DIR/export.reg")" "$hive" >/dev/null 2>&1 ||
      e2e_fail "regedit /E $hive failed"
    iconv -f UTF-16LE -t UTF-8 "$E2E_DIR/export.reg" | tr -d '\r' | grep -iE "$pattern" | sed "s/^/$hive: /" >>"$out" || true
  done
  find "$drive_c" -path "$settings" -prune -o -iname '*asio2wasapi*' -print | sed 's/^/file: /' >>"$out"
}

# wait_uninstalled: until the uninstaller has removed the Uninstall key (its
# last step), at most 60 s.
uninstalled() { ! reg_has "$uninstall_key"; }
wait_uninstalled() {
  e2e_poll 300 0.2 uninstalled || e2e_fail "the uninstaller did not finish within 60 s (the Uninstall key is still there)"
}

traces "$E2E_DIR/traces-before.txt"
[[ ! -s $E2E_DIR/traces-before.txt ]] ||
  e2e_fail "the fresh prefix already names the driver: $(head -n 3 "$E2E_DIR/traces-before.txt")"

# 2. Silent install.
wine "$(e2e_winpath "$setup")" /S >"$E2E_DIR/setup.log" 2>&1 || e2e_fail "setup.exe /S exited with $?; see $E2E_DIR/setup.log"
# The installed folder is the zip's folder plus uninstall.exe and install.log.
diff -rq "$stage" "$pf" >"$E2E_DIR/installed-vs-zip.txt" 2>&1 || true
grep -vE "^Only in $pf: (uninstall\.exe|install\.log)\$" "$E2E_DIR/installed-vs-zip.txt" >"$E2E_DIR/installed-diff.txt" || true
[[ ! -s $E2E_DIR/installed-diff.txt ]] || e2e_fail "Program Files\\asio2wasapi differs from the zip's folder: $(head -n 5 "$E2E_DIR/installed-diff.txt")"
for f in asio2wasapi_x64.dll asio2wasapi_x86.dll asio2wasapi-panel.exe asiohost.exe uninstall.exe install.log; do
  [[ -f $pf/$f ]] || e2e_fail "no $f in Program Files\\asio2wasapi"
done
for dll in asio2wasapi_x64.dll asio2wasapi_x86.dll; do
  x86_64-w64-mingw32-windres -i "$pf/$dll" -O rc >"$E2E_DIR/$dll.rc" 2>&1 || e2e_fail "windres cannot read $dll"
  grep -q "VALUE \"FileVersion\", \"$version\"" "$E2E_DIR/$dll.rc" || e2e_fail "$dll's VERSIONINFO is not $version"
done
for lnk in "ASIO2WASAPI Settings" "Read me" "Uninstall ASIO2WASAPI"; do
  [[ -f $menu/$lnk.lnk ]] || e2e_fail "no Start Menu entry \"$lnk\""
done

log=$pf/install.log
grep -q '^x64: registered' "$log" || e2e_fail "install.log: $(cat "$log")"
if [[ -e $drive_c/windows/syswow64/regsvr32.exe ]]; then
  x86_expect='^x86: registered'
  reg_has "HKLM\\SOFTWARE\\ASIO\\ASIO2WASAPI Universal" /reg:32 || e2e_fail "no 32-bit view registration"
  x86_note="x86 registered"
else
  x86_expect='^x86: skipped: C:\\windows\\SysWOW64\\regsvr32.exe does not exist'
  x86_note="x86 skipped (this Wine has no SysWOW64\\regsvr32.exe), reported in install.log"
fi
grep -q "$x86_expect" "$log" || e2e_fail "install.log does not match /$x86_expect/: $(cat "$log")"

[[ $(reg_value "HKLM\\SOFTWARE\\ASIO\\ASIO2WASAPI Universal" CLSID) == "$clsid" ]] || e2e_fail "no ASIO registration"
[[ $(reg_value "HKLM\\SOFTWARE\\Classes\\CLSID\\$clsid\\InprocServer32") == "$pf_win\\asio2wasapi_x64.dll" ]] ||
  e2e_fail "InprocServer32 is not the installed DLL: $(cat "$E2E_DIR/reg.txt")"
[[ $(reg_value "$uninstall_key" DisplayVersion) == "$version" ]] || e2e_fail "no Apps entry with version $version"

# 3. The installed host, through the installed driver, with a settings file.
mkdir -p "$settings"
printf 'mode = "shared"\n\n[output]\ndevice = "Speakers"\n\n[log]\nlevel = "info"\n' >"$settings/default.toml"
cp "$settings/default.toml" "$E2E_DIR/default.toml.orig"
host() { { echo "+ asiohost $*"; wine "$pf_win\\asiohost.exe" "$@"; } >>"$E2E_DIR/host.log" 2>&1; }
rm -f "$E2E_DIR/host.log" "$E2E_DIR/play.json"
host --version || e2e_fail "asiohost --version failed"
grep -q "^asiohost $version" "$E2E_DIR/host.log" || e2e_fail "asiohost --version does not say $version"
host probe "$E2E_DRIVER" || e2e_fail "asiohost probe through the installed driver failed; see $E2E_DIR/host.log"
grep -q "version $version_number\$" <(tr -d '\r' <"$E2E_DIR/host.log") ||
  e2e_fail "getDriverVersion is not $version_number; see $E2E_DIR/host.log"
grep -q '^stream: shared-event' <(tr -d '\r' <"$E2E_DIR/host.log") ||
  e2e_fail "the driver did not take default.toml's shared mode; see $E2E_DIR/host.log"
host play "$E2E_DRIVER" --seconds 1 --report "$(e2e_winpath "$E2E_DIR/play.json")" ||
  e2e_fail "asiohost play through the installed driver failed; see $E2E_DIR/host.log"
switches=$(e2e_json_field "$E2E_DIR/play.json" buffer_switches)
frames=$(e2e_json_field "$E2E_DIR/play.json" frames_played)
[[ ${switches:-0} -gt 0 && ${frames:-0} -ge 48000 ]] ||
  e2e_fail "play made $switches buffer switches, $frames frames; see $E2E_DIR/play.json"
[[ -s $settings/default.log ]] || e2e_fail "the driver wrote no log although default.toml asks for one"

wine "$pf_win\\a2w-instances.exe" add Stage >"$E2E_DIR/instances.log" 2>&1 ||
  e2e_fail "a2w-instances add failed; see $E2E_DIR/instances.log"
instance_clsid=$(grep -oE '\{[0-9A-Fa-f-]{36}\}' "$E2E_DIR/instances.log" | head -n 1)
[[ -n $instance_clsid ]] || e2e_fail "a2w-instances add printed no CLSID"
[[ $(reg_value "HKLM\\SOFTWARE\\ASIO\\ASIO2WASAPI Stage" CLSID) == "$instance_clsid" ]] ||
  e2e_fail "the named instance is not registered"
instance_pattern=${instance_clsid//[\{\}]/}

traces "$E2E_DIR/traces-installed.txt" "$instance_pattern"
# The search must see what the installer wrote, or its silence later proves nothing.
for what in 'Software\ASIO\ASIO2WASAPI Universal]' 'Software\ASIO\ASIO2WASAPI Stage]' "$instance_pattern" \
  'Software\asio2wasapi\Instances\Stage]' 'Uninstall\asio2wasapi]' 'Program Files/asio2wasapi/asio2wasapi_x64.dll' \
  'Start Menu/Programs/ASIO2WASAPI'; do
  grep -qiF "$what" "$E2E_DIR/traces-installed.txt" || e2e_fail "the search for traces misses \"$what\""
done

# 4. Silent uninstall, settings kept.
wine "$pf_win\\uninstall.exe" /S >"$E2E_DIR/uninstall.log" 2>&1 || e2e_fail "uninstall.exe /S exited with $?"
wait_uninstalled
traces "$E2E_DIR/traces-after.txt" "$instance_pattern"
[[ ! -s $E2E_DIR/traces-after.txt ]] ||
  e2e_fail "the uninstall left $(wc -l <"$E2E_DIR/traces-after.txt") traces: $(head -n 5 "$E2E_DIR/traces-after.txt")"
cmp -s "$settings/default.toml" "$E2E_DIR/default.toml.orig" || e2e_fail "the uninstall did not keep default.toml"
[[ -s $settings/default.log ]] || e2e_fail "the uninstall did not keep default.log"

# 5. Again, with /REMOVECONFIG.
wine "$(e2e_winpath "$setup")" /S >>"$E2E_DIR/setup.log" 2>&1 || e2e_fail "the second setup.exe /S exited with $?"
reg_has "$uninstall_key" || e2e_fail "the second install wrote no Uninstall key"
wine "$pf_win\\uninstall.exe" /S /REMOVECONFIG >>"$E2E_DIR/uninstall.log" 2>&1 || e2e_fail "uninstall.exe /S /REMOVECONFIG exited with $?"
wait_uninstalled
[[ ! -e $settings ]] || e2e_fail "/REMOVECONFIG left $(ls "$settings")"
traces "$E2E_DIR/traces-after2.txt" "$instance_pattern"
[[ ! -s $E2E_DIR/traces-after2.txt ]] || e2e_fail "the second uninstall left: $(head -n 5 "$E2E_DIR/traces-after2.txt")"

echo "installer $version: installed, probed and played through (version $version_number, $switches buffer switches)," \
  "$x86_note; uninstall left no file or registry trace, kept the settings, and /REMOVECONFIG removed them"
