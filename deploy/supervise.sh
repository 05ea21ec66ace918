#!/usr/bin/env bash
# Runs one part and starts it again when it dies: what deploy/dev.sh runs every Shoal part of its
# cluster under (systemd's Restart=on-failure, for the lab; docs/INSTALL.md has the real units).
#
#   deploy/supervise.sh --name NAME --state-dir DIR -- COMMAND [ARG...]
#
# COMMAND writes to this script's stdout and stderr (the part's log). When it dies, other than by
# a stop (exit 0, or 143: a JVM that handled a SIGTERM), it is started again after a pause: 1 s,
# doubled at each restart up to 30 s, and back to 1 s once a run lasted 60 s. Each restart is a
# line in the log ("supervise: control died (SIGKILL) after 41 s; restart 1 in 1 s"), and in DIR:
# child.pid (the running COMMAND's pid), restarts (how many), last (the last such line).
# A stopped COMMAND (0 or 143) ends the supervisor too: someone meant it.
# SIGTERM or SIGINT to this script stops the part for good: TERM to COMMAND, KILL after
# SHOAL_SUPERVISE_STOP_GRACE seconds (8: dev.sh's stop_all KILLs this script after 10), then exit;
# a pause in progress ends at once, and nothing is started again.
# Tests shorten the times: SHOAL_SUPERVISE_BACKOFF_MS (1000), SHOAL_SUPERVISE_MAX_BACKOFF_MS
# (30000), SHOAL_SUPERVISE_RESET_S (60).
set -euo pipefail

BACKOFF_MS=${SHOAL_SUPERVISE_BACKOFF_MS:-1000}
MAX_BACKOFF_MS=${SHOAL_SUPERVISE_MAX_BACKOFF_MS:-30000}
RESET_S=${SHOAL_SUPERVISE_RESET_S:-60}
STOP_GRACE=${SHOAL_SUPERVISE_STOP_GRACE:-8}

name="" state="" child="" sleeper="" stopping=0 code=0

die() { printf 'supervise.sh: %s\n' "$*" >&2; exit 2; }
say() { printf '%s supervise: %s\n' "$(date +%H:%M:%S)" "$*"; }

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --name) name=${2:-}; shift 2 ;;
      --state-dir) state=${2:-}; shift 2 ;;
      --) shift; break ;;
      *) die "unknown argument '$1'; usage: supervise.sh --name NAME --state-dir DIR -- COMMAND [ARG...]" ;;
    esac
  done
  if [ -z "$name" ] || [ -z "$state" ] || [ $# = 0 ]; then
    die "usage: supervise.sh --name NAME --state-dir DIR -- COMMAND [ARG...]"
  fi
  command=("$@")
}

# on_stop: the trap of TERM and INT; the main loop sees `stopping` and starts nothing more
on_stop() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
  if [ -n "$sleeper" ]; then kill -TERM "$sleeper" 2>/dev/null || true; fi
}

# wait_child: waits until COMMAND has exited and sets `code`. A trapped signal interrupts `wait`
# (status > 128, the child still there), so it waits again, stopping the child first if told to.
wait_child() {
  while :; do
    [ "$stopping" = 0 ] || stop_child
    code=0
    wait "$child" || code=$?
    [ -e "/proc/$child" ] || break
  done
  child=""
}

# alive PID: PID runs (a zombie, exited but not yet waited for, does not)
alive() {
  local stat
  stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $stat != Z* ]]
}

# stop_child: the supervisor was told to stop and COMMAND has had its TERM (on_stop): KILL after the grace
stop_child() {
  local deadline=$((SECONDS + STOP_GRACE))
  while alive "$child" && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
  if alive "$child"; then
    say "$name did not stop within ${STOP_GRACE} s of its TERM: KILL"
    kill -KILL "$child" 2>/dev/null || true
  fi
}

# describe CODE: "exit 1", or the signal that killed it ("SIGKILL")
describe() {
  if [ "$1" -gt 128 ] && [ "$1" -le 192 ]; then echo "SIG$(kill -l $(($1 - 128)))"; else echo "exit $1"; fi
}

# pause MS: sleeps MS milliseconds, cut short by a stop
pause() {
  sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))" &
  sleeper=$!
  wait "$sleeper" 2>/dev/null || true
  sleeper=""
}

main() {
  parse_args "$@"
  mkdir -p "$state"
  echo 0 >"$state/restarts"
  trap on_stop TERM INT
  local backoff=$BACKOFF_MS restarts=0 started ran line
  while [ "$stopping" = 0 ]; do
    started=$SECONDS
    "${command[@]}" &
    child=$!
    echo "$child" >"$state/child.pid"
    wait_child
    rm -f "$state/child.pid"
    ran=$((SECONDS - started))
    [ "$stopping" = 0 ] || break
    if [ "$code" = 0 ] || [ "$code" = 143 ]; then
      say "$name stopped ($(describe "$code")) after $ran s: not restarting it"
      exit 0
    fi
    if [ "$ran" -ge "$RESET_S" ]; then backoff=$BACKOFF_MS; fi
    restarts=$((restarts + 1))
    line="$name died ($(describe "$code")) after $ran s; restart $restarts in $((backoff / 1000)).$((backoff % 1000 / 100)) s"
    say "$line"
    echo "$restarts" >"$state/restarts"
    echo "$(date +%H:%M:%S) $line" >"$state/last"
    pause "$backoff"
    backoff=$((backoff * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : backoff * 2))
  done
  say "$name stopped by its supervisor's stop"
}

main "$@"
