#!/usr/bin/env bash
# keys_test.sh — drives the real window with xdotool as a person would: → (next slide), + (font), L (language)
# on a slide without and then with a live panel (the panel must be kept), P (screenshot), End and → past the
# last slide (the next lesson opens), then SIGTERM; checks the log, the PNG and the settings written on exit.
# Not a layout test (the screenshot tests are).
set -u
difflab=$1
png_check=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/xdg
cd "$work"
"$difflab" --lesson "$2" --size 1200x800 >"$work/log" 2>&1 &
pid=$!
wid=$(timeout 60 xdotool search --sync --name "Diffusion Lab" | head -1)
[ -n "$wid" ] || { echo "no window appeared"; cat "$work/log"; kill $pid; exit 1; }
sleep 3
# Slide 3 (no panel): ? opens the keys window, Esc closes it (P saves the window each time).
shot() { xdotool key --window "$wid" p; sleep 1; mv "$(ls -t "$work"/difflab-*.png | head -1)" "$work/$1.png"; }
for key in Right Right plus; do
  xdotool key --window "$wid" "$key"
  sleep 1
done
xdotool key --window "$wid" question; sleep 1; shot help_open
xdotool key --window "$wid" Escape; sleep 1; shot help_closed
# Slide 3 → es; → slide 4 (the live train panel, autoplay) in es; after it trained a while → en.
for key in l Right sleep l p End Right; do
  if [ "$key" = sleep ]; then sleep 3; continue; fi
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
check "L on slide 3 switched to es" 'grep -q "language en → es: .*00-welcome.es.md, slide 3$" "$work/log"'
check "L on slide 4 kept the live panel (its training goes on)" \
  'grep -q "language es → en: .*00-welcome.en.md, slide 4, live panel kept" "$work/log"'
check "language is en again" 'grep -q "^lang = en" "$settings"'
check "font size grew" '[ "$(sed -n "s/^font_size = //p" "$settings")" -gt 20 ]'
check "→ on the last slide opened the next lesson, on its first slide" \
  'grep -q "^last_lesson = .*01-generative-models.en.md" "$settings" && grep -q "^slide = 0" "$settings"'
check "P saved a screenshot" 'ls "$work"/difflab-*.png >/dev/null 2>&1'
if [ -n "$png_check" ]; then  # the keys window changes ≈ 6 % of the pixels, a "saved" line < 1 %
  check "Esc closed the keys window" '"$png_check" --diff "$work/help_open.png" "$work/help_closed.png" --min-diff 0.03'
fi
[ "$failures" -eq 0 ] || { cat "$work/log"; cat "$settings" 2>/dev/null; }
exit "$failures"
