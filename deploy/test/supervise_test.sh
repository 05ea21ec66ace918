#!/usr/bin/env bash
# Tests deploy/supervise.sh through deploy/dev.sh's own functions (start_supervised, stop_all,
# crash, restarts_note), on small processes with short times: a part KILLed comes back with a new
# pid and a logged restart; the pause doubles up to its cap and starts over after a long run; a
# part that stops (exit 0) stays stopped; stop_all stops a part for good, in a pause too, and
# KILLs one that ignores its TERM; crash (dev.sh host kill-agent) leaves nothing to come back.
# Everything lives in a temporary directory; every process it started is gone at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/dev.sh
. "$ROOT/deploy/dev.sh"
TMP=$(mktemp -d /tmp/shoal-supervise-test.XXXXXX)
PIDS="$TMP/pids" LOGS="$TMP/logs"
export SHOAL_SUPERVISE_BACKOFF_MS=100 SHOAL_SUPERVISE_MAX_BACKOFF_MS=400 SHOAL_SUPERVISE_RESET_S=2 \
  SHOAL_SUPERVISE_STOP_GRACE=1
SEEN=() # every pid this test saw, checked gone at the end

fail() { printf 'supervise_test.sh: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf '    ok  %s\n' "$*"; }

# cleanup: stops whatever a failed check left running, then removes the directory
cleanup() {
  local rc=$? f
  for f in "$PIDS"/*.pid; do [ -e "$f" ] && stop_all "$(basename "$f" .pid)" >/dev/null; done
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT

# await WHAT SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds, or fails naming WHAT
await() {
  local what=$1 deadline=$((SECONDS + $2)); shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what (log: $(cat "$LOGS"/*.log 2>/dev/null))"
    sleep 0.1
  done
}

child_of() { cat "$PIDS/$1.sv/child.pid" 2>/dev/null; }
restarts_of() { cat "$PIDS/$1.sv/restarts" 2>/dev/null || echo 0; }
has_child() { [ -n "$(child_of "$1")" ] && SEEN+=("$(child_of "$1")"); }
child_is_not() { local c; c=$(child_of "$1"); [ -n "$c" ] && [ "$c" != "$2" ]; }
restarted() { [ "$(restarts_of "$1")" -ge "$2" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
logged() { grep -qF -- "$2" "$LOGS/$1.log"; }

test_a_killed_part_comes_back() {
  start_supervised part sleep 1000 >/dev/null
  SEEN+=("$(cat "$PIDS/part.pid")")
  await "part started" 5 has_child part
  local first
  first=$(child_of part)
  kill -KILL "$first"
  await "part back after its SIGKILL with a new pid" 5 child_is_not part "$first"
  SEEN+=("$(child_of part)")
  logged part "part died (SIGKILL) after 0 s; restart 1 in 0.1 s" || fail "no restart line in part's log"
  [[ $(restarts_note part) == ", 1 restart (last: "*"part died (SIGKILL)"* ]] || fail "status note: '$(restarts_note part)'"
  pass "a part KILLed comes back with a new pid; its log and status say so"
}

test_the_pause_doubles_to_its_cap_and_starts_over_after_a_long_run() {
  local c
  for _ in 1 2 3; do
    c=$(child_of part)
    kill -KILL "$c"
    await "part back" 5 child_is_not part "$c"
  done
  local line
  for line in "restart 2 in 0.2 s" "restart 3 in 0.4 s" "restart 4 in 0.4 s"; do
    logged part "$line" || fail "pauses not 0.1, 0.2, 0.4, 0.4 s: $(grep supervise "$LOGS/part.log")"
  done
  sleep 2.2 # a run past SHOAL_SUPERVISE_RESET_S
  c=$(child_of part)
  kill -KILL "$c"
  await "part back" 5 child_is_not part "$c"
  SEEN+=("$(child_of part)")
  logged part "restart 5 in 0.1 s" || fail "the pause did not start over after a long run: $(grep supervise "$LOGS/part.log")"
  pass "the pause doubles (0.1, 0.2, 0.4 s), stays at its cap, and starts over after a run of 2 s"
}

test_stop_all_stops_a_part_for_good() {
  local supervisor child
  supervisor=$(cat "$PIDS/part.pid") child=$(child_of part)
  stop_all part >/dev/null
  if ! gone "$supervisor" || ! gone "$child"; then fail "part or its supervisor still runs after stop_all"; fi
  if [ -e "$PIDS/part.pid" ] || [ -e "$PIDS/part.sv" ]; then fail "stop_all left part's pid file or state"; fi
  logged part "part stopped by its supervisor's stop" || fail "no stop line in part's log"
  pass "stop_all stops the part and its supervisor; nothing is restarted"
}

test_a_stop_during_a_pause_ends_it_at_once() {
  SHOAL_SUPERVISE_BACKOFF_MS=30000 start_supervised failing sh -c 'exit 1' >/dev/null
  SEEN+=("$(cat "$PIDS/failing.pid")")
  await "failing restarted once" 5 restarted failing 1
  local started=$SECONDS
  stop_all failing >/dev/null
  [ $((SECONDS - started)) -le 2 ] || fail "stop_all waited out a 30 s pause"
  pass "a part in its pause (30 s) is stopped at once"
}

test_a_part_that_ignores_its_term_is_killed() {
  # It says when it ignores TERM: a TERM before that would end it.
  start_supervised stubborn python3 -c 'import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
open(sys.argv[1], "w").close()
time.sleep(1000)' "$TMP/stubborn.ready" >/dev/null
  SEEN+=("$(cat "$PIDS/stubborn.pid")")
  await "stubborn ignoring TERM" 5 test -e "$TMP/stubborn.ready"
  await "stubborn started" 5 has_child stubborn
  local child
  child=$(child_of stubborn)
  stop_all stubborn >/dev/null
  gone "$child" || fail "a part that ignores TERM outlived stop_all"
  logged stubborn "did not stop within 1 s of its TERM: KILL" || fail "no KILL line in stubborn's log"
  pass "a part that ignores its TERM is KILLed after the grace (1 s)"
}

test_a_part_that_stops_by_itself_stays_stopped() {
  start_supervised quitter sh -c 'sleep 0.3; exit 0' >/dev/null
  local supervisor
  supervisor=$(cat "$PIDS/quitter.pid")
  SEEN+=("$supervisor")
  await "quitter's supervisor ended with it" 5 gone "$supervisor"
  [ "$(restarts_of quitter)" = 0 ] || fail "a part that exited 0 was restarted"
  logged quitter "quitter stopped (exit 0)" || fail "no stop line in quitter's log"
  stop_all quitter >/dev/null
  pass "a part that exits 0 is not restarted"
}

test_crash_leaves_nothing_to_come_back() {
  start_supervised agent-h9 sleep 1000 >/dev/null
  SEEN+=("$(cat "$PIDS/agent-h9.pid")")
  await "agent-h9 started" 5 has_child agent-h9
  local supervisor child
  supervisor=$(cat "$PIDS/agent-h9.pid") child=$(child_of agent-h9)
  crash agent-h9
  await "agent-h9 and its supervisor gone" 5 gone "$child"
  gone "$supervisor" || fail "crash left agent-h9's supervisor"
  sleep 0.5 # past the pause a supervisor would have taken
  ! pgrep -f "supervise.sh --name agent-h9 " >/dev/null || fail "agent-h9 was started again"
  pass "crash (host kill-agent) KILLs the part and its supervisor: it stays down"
}

test_nothing_is_left() {
  local pid
  for pid in "${SEEN[@]}"; do gone "$pid" || fail "process $pid is left: $(ps -o args= -p "$pid")"; done
  pass "every process the test started is gone (${#SEEN[@]} checked)"
}

test_a_killed_part_comes_back
test_the_pause_doubles_to_its_cap_and_starts_over_after_a_long_run
test_stop_all_stops_a_part_for_good
test_a_stop_during_a_pause_ends_it_at_once
test_a_part_that_ignores_its_term_is_killed
test_a_part_that_stops_by_itself_stays_stopped
test_crash_leaves_nothing_to_come_back
test_nothing_is_left
