#!/usr/bin/env bash
# Checks the calling conventions and exports of the built driver DLLs.
#
# x86: MSVC-built hosts call the IASIO methods as thiscall (this in ECX, the
# callee pops its stack arguments) and IUnknown's as stdcall (this on the
# stack, callee pops). A mismatch corrupts the host's stack on the first
# call, so the win32 DLL's AsioDriver methods are disassembled and each one's
# `ret` must pop exactly its argument bytes, and `this` must come from ECX.
# Both DLLs must export the four COM entry points undecorated.
#
# Run from the repository root; A2W_BUILD is the build root holding win64/
# and win32/ (default: build). Exit 0 = pass.
set -euo pipefail

build=${A2W_BUILD:-build}
dll32=$build/win32/bin/asio2wasapi_x86.dll
dll64=$build/win64/bin/asio2wasapi_x64.dll
fail=0
problem() { echo "FAIL: $*" >&2; fail=1; }

for dll in "$dll32" "$dll64"; do
  [[ -f $dll ]] || { echo "FAIL: $dll not built" >&2; exit 1; }
done

# --- exports: the four names, undecorated, in both DLLs
exports_of() {
  # The "[Ordinal/Name Pointer] Table" lines: "	[   0] DllCanUnloadNow".
  "$1" -p "$2" | sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*\([^[:space:]]*\)$/\1/p'
}
for pair in "i686-w64-mingw32-objdump:$dll32" "x86_64-w64-mingw32-objdump:$dll64"; do
  tool=${pair%%:*}
  dll=${pair#*:}
  names=$(exports_of "$tool" "$dll")
  for want in DllGetClassObject DllCanUnloadNow DllRegisterServer DllUnregisterServer; do
    grep -qx "$want" <<<"$names" || problem "$(basename "$dll") does not export $want (exports: $(echo $names))"
  done
  if grep -q '@' <<<"$names"; then problem "$(basename "$dll") exports decorated names: $(echo $names)"; fi
done

# --- x86 calling conventions of the COM object
disasm=$(i686-w64-mingw32-objdump -d -C --no-show-raw-insn "$dll32")

# The body of a2w::AsioDriver::<method>(...): from its label to the blank line.
body_of() {
  awk -v name="a2w::AsioDriver::$1(" '
    index($0, "<" name) && /^[0-9a-f]+ </ && !/\[clone/ { on = 1; next }
    on && /^$/ { exit }
    on { print }' <<<"$disasm"
}

# check METHOD POP THIS: POP is the bytes `ret` must pop (0 = plain ret);
# THIS is ecx (thiscall) or stack (stdcall).
check() {
  local method=$1 pop=$2 this=$3 body rets want
  body=$(body_of "$method")
  if [[ -z $body ]]; then problem "a2w::AsioDriver::$method not found in $(basename "$dll32")"; return; fi
  if (( pop == 0 )); then want='ret'; else want=$(printf 'ret    $0x%x' "$pop"); fi
  rets=$(grep -E '\sret[l]?(\s|$)' <<<"$body" | sed -E 's/^[^:]*:\s*//; s/\s+$//; s/retl/ret/' | sort -u)
  if [[ -z $rets ]]; then
    problem "$method: no ret (tail jump?)"
  elif [[ $rets != "$want" ]]; then
    problem "$method: returns with '$(echo $rets)', expected '$want'"
  fi
  # First instruction that mentions %ecx: if it reads ECX (e.g. `add $0x8,%ecx`
  # to reach the core member, or `mov 0x8(%ecx),...`), `this` arrived in ECX.
  # Only a pure write (mov/lea/pop into ECX, xor %ecx,%ecx) does not read it.
  local first pure_write='^(mov[a-z]*|lea[lw]?|pop[lw]?)[[:space:]]+([^,]*,)?%ecx$|^xor[l]?[[:space:]]+%ecx,%ecx$'
  first=$(grep -m1 '%ecx' <<<"$body" | sed -E 's/^[^:]*:\s*//; s/\s+$//' || true)
  if [[ $this == ecx ]]; then
    if [[ -z $first ]] || { [[ $first =~ $pure_write ]] && [[ ! $first =~ \(.*%ecx.*\), ]]; }; then
      problem "$method: does not read this from ECX (first use: '${first:-none}')"
    fi
  else
    if [[ -n $first ]] && ! [[ $first =~ $pure_write ]]; then
      problem "$method: reads ECX before setting it ('$first'), expected stdcall"
    fi
  fi
  [[ $fail == 0 ]] && echo "ok: $method pops $pop, this from $this"
  return 0
}

# IUnknown: stdcall, this on the stack.
check QueryInterface 12 stack
check AddRef 4 stack
check Release 4 stack
# IASIO: thiscall; pops = 4 per i32 or pointer argument, 8 per double.
check init 4 ecx
check getDriverName 4 ecx
check getDriverVersion 0 ecx
check getErrorMessage 4 ecx
check start 0 ecx
check stop 0 ecx
check getChannels 8 ecx
check getLatencies 8 ecx
check getBufferSize 16 ecx
check canSampleRate 8 ecx
check getSampleRate 4 ecx
check setSampleRate 8 ecx
check getClockSources 8 ecx
check setClockSource 4 ecx
check getSamplePosition 8 ecx
check getChannelInfo 4 ecx
check createBuffers 16 ecx
check disposeBuffers 0 ecx
check controlPanel 0 ecx
check future 8 ecx
check outputReady 0 ecx

if [[ $fail != 0 ]]; then
  echo "x86_thiscall_check: FAILED" >&2
  exit 1
fi
echo "x86_thiscall_check: passed (exports in both DLLs, x86 conventions of 23 methods)"
