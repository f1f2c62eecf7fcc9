#!/usr/bin/env bash
# keys_test.sh — drives the real window with xdotool as a person would: → (next slide), + (font), L (language),
# P (screenshot), then SIGTERM; checks the PNG was saved and the settings were written on the way out.
# Not a layout test (the screenshot tests are).
set -u
difflab=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/xdg
cd "$work"
"$difflab" --lesson "$2" --size 1200x800 >"$work/log" 2>&1 &
pid=$!
wid=$(timeout 60 xdotool search --sync --name "Diffusion Lab" | head -1)
[ -n "$wid" ] || { echo "no window appeared"; cat "$work/log"; kill $pid; exit 1; }
sleep 3
for key in Right Right plus l p; do
  xdotool key --window "$wid" "$key"
  sleep 1
done
kill -TERM $pid
wait $pid
status=$?
settings=$XDG_CONFIG_HOME/difflab/settings.ini
failures=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi; }
check "exit status 0 after SIGTERM (got $status)" '[ "$status" -eq 0 ]'
check "settings written" '[ -f "$settings" ]'
check "language switched to es" 'grep -q "^lang = es" "$settings"'
check "font size grew" '[ "$(sed -n "s/^font_size = //p" "$settings")" -gt 20 ]'
check "moved past the first slide" '[ "$(sed -n "s/^slide = //p" "$settings")" -ge 1 ]'
check "P saved a screenshot" 'ls "$work"/difflab-*.png >/dev/null 2>&1'
[ "$failures" -eq 0 ] || { cat "$work/log"; cat "$settings" 2>/dev/null; }
exit "$failures"
