#!/usr/bin/env bash
# The control panel under Wine on a private X server: panel_ui_check.exe
# starts asio2wasapi-panel.exe, finds its controls, checks the endpoint
# lists, changes output, mode and safety margin, presses Apply and checks
# the file and its .bak (tests/win/panel/panel_ui_test.cpp); a broken file
# shows its error, and bad typed values are refused.
# While the changed dialog is open, this script takes a screenshot of it:
# $A2W_BUILD/panel/panel.png.
#
# Xvfb runs on the first free display from :99 down and is stopped (by its
# pid) at the end.
source "$(dirname "$0")/lib.sh"
e2e_init panel_xvfb

bin=${A2W_WIN64_BIN:-$E2E_BUILD/win64/bin}
check=$bin/panel_ui_check.exe
e2e_need "$check" "$bin/asio2wasapi-panel.exe"
command -v Xvfb >/dev/null || e2e_fail "Xvfb is not installed (scripts/install-deps.sh)"
command -v import >/dev/null || e2e_fail "ImageMagick's import is not installed (scripts/install-deps.sh)"
command -v xwininfo >/dev/null || e2e_fail "xwininfo (x11-utils) is not installed (scripts/install-deps.sh)"

display=
for n in $(seq 99 -1 90); do
  if [[ ! -e /tmp/.X$n-lock && ! -e /tmp/.X11-unix/X$n ]]; then display=:$n; break; fi
done
[[ -n $display ]] || e2e_fail "no free X display between :90 and :99"
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >"$E2E_DIR/xvfb.log" 2>&1 &
xvfb_pid=$!
E2E_CLEANUPS+=("kill $xvfb_pid 2>/dev/null; wait $xvfb_pid 2>/dev/null")
export DISPLAY=$display
xdpy() { xdpyinfo -display "$display" >/dev/null 2>&1; }
e2e_poll 200 0.05 xdpy || e2e_fail "Xvfb did not start on $display; see $E2E_DIR/xvfb.log"

# A world of our own, started with DISPLAY set: Wine picks its display
# driver when the world's wineserver and desktop start, and the runner's
# world started without an X server (windows there fail with error 1400).
e2e_world_own A2W_WORLD_SPEAKERS=null

shots=$E2E_DIR/shots
rm -rf "$shots"
mkdir -p "$shots" "$E2E_BUILD/panel"
export A2W_PANEL_SHOT_DIR
A2W_PANEL_SHOT_DIR=$(e2e_winpath "$shots")
export WINEDEBUG=${WINEDEBUG:--all}
wine "$check" --gtest_color=no >"$E2E_DIR/panel_ui_check.log" 2>&1 &
check_pid=$!
E2E_CLEANUPS+=("kill $check_pid 2>/dev/null")

# The screenshot: when the test says the changed dialog is up.
png=$E2E_BUILD/panel/panel.png
rm -f "$png"
if e2e_poll 600 0.1 test -e "$shots/ready"; then
  geometry=$(xwininfo -display "$display" -name "ASIO2WASAPI Universal settings" 2>/dev/null |
    awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF} /Width:/{w=$NF} /Height:/{h=$NF} END{if (w) print w "x" h "+" x "+" y}')
  import -display "$display" -window root "$E2E_DIR/root.png"
  if [[ -n $geometry ]]; then
    convert "$E2E_DIR/root.png" -crop "$geometry" +repage "$png"
  else
    cp "$E2E_DIR/root.png" "$png"
  fi
fi
touch "$shots/done"

rc=0
wait "$check_pid" || rc=$?
cat "$E2E_DIR/panel_ui_check.log"
[[ $rc -eq 0 ]] || e2e_fail "panel_ui_check.exe failed (exit $rc); see $E2E_DIR/panel_ui_check.log"
[[ -s $png ]] || e2e_fail "no screenshot was taken"
echo "panel: endpoints listed, Apply wrote the file (safety margin included) and its .bak, a broken file shows its error; screenshot $png"
