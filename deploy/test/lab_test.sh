#!/usr/bin/env bash
# Tests deploy/lab.sh for real (as root): two hosts come up with engines that answer, reach each
# other and publish ports; partition/heal and stop-engine/start-engine do what they say; bad
# input is refused in one line; a second up after a crash cleans up and starts; and after `down`
# the namespaces, links and iptables rules are exactly those from before.
#
#   deploy/test/lab_test.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LAB_SH="$ROOT/deploy/lab.sh"
LAB=labtest
SUBNET=10.231.77.0/24
COLLIDING_SUBNET=10.231.78.0/24
DUMMY=labtest-other # a bridge: this kernel has no dummy interfaces
DIR=$(mktemp -d /tmp/labtest.XXXXXX)
started=$(date +%s%N)

fail() { printf 'lab_test: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'lab_test: ok: %s\n' "$*"; }

cleanup() {
  local rc=$? log
  if [ $rc -ne 0 ]; then
    for log in "$DIR"/h*/dockerd.log; do
      [ -f "$log" ] && { echo "--- last lines of $log"; tail -n 5 "$log"; } >&2
    done
  fi
  "$LAB_SH" down --name "$LAB" --dir "$DIR" >/dev/null 2>&1 || true
  ip link del "$DUMMY" 2>/dev/null || true
  rm -rf "$DIR"
  if [ $rc -eq 0 ]; then
    echo "lab_test: PASS in $((($(date +%s%N) - started) / 1000000)) ms"
  else
    echo "lab_test: FAILED (exit $rc)" >&2
  fi
}
trap cleanup EXIT

# The root namespace's network state. A dockerd running in the root namespace (the test suite's)
# churns what its containers bring and take: their veths, its DOCKER chain and, for each published
# port, a masquerade of the container's address to itself. Those are left out; the lab makes none.
snapshot() {
  echo "# netns"
  ip netns list | awk '{print $1}' | sort
  echo "# links"
  ip -o link | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -v '^veth' | sort
  local table
  for table in filter nat; do
    echo "# iptables $table"
    iptables-save -t "$table" | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//' |
      grep -v -e '^-A DOCKER ' -e '^-A POSTROUTING -s \([0-9.]*\)/32 -d \1/32 .* -j MASQUERADE$'
  done
}

# expect_refusal WHAT PATTERN COMMAND...: COMMAND fails with one line on stderr matching PATTERN
expect_refusal() {
  local what=$1 pattern=$2 err rc=0
  shift 2
  err=$("$@" 2>&1 >/dev/null) || rc=$?
  [ $rc -ne 0 ] || fail "$what: exit 0"
  [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "$what: more than one line: $err"
  [[ $err =~ $pattern ]] || fail "$what: '$err' does not match '$pattern'"
  pass "$what: $err"
}

# eventually WHAT SECONDS COMMAND...: COMMAND succeeds within SECONDS
eventually() {
  local what=$1 seconds=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what: not within $seconds s"
    sleep 0.2
  done
  pass "$what"
}

never_answers() { ! "$@" >/dev/null 2>&1; }

page_from_root() { curl -fsS --max-time 3 "http://$ADDR2:8080/" | grep -q "lab test page"; }
page_from_h1() { "$LAB_SH" exec "$LAB" h1 curl -fsS --max-time 3 "http://$ADDR2:8080/" | grep -q "lab test page"; }
engine_info() { docker -H "$1" info --format '{{.ServerVersion}}'; }

# web_image HOST: a busybox image on that engine (nothing can be pulled here)
web_image() {
  local rootfs
  rootfs=$(mktemp -d "$DIR/rootfs.XXXXXX")
  mkdir -p "$rootfs/bin" "$rootfs/www"
  cp /usr/bin/busybox "$rootfs/bin/busybox"
  for tool in sh httpd; do ln -s busybox "$rootfs/bin/$tool"; done
  echo "lab test page" >"$rootfs/www/index.html"
  tar -C "$rootfs" -c . | docker -H "$1" import - labtest/web:1 >/dev/null
  rm -rf "$rootfs"
}

{ command -v docker && command -v curl; } >/dev/null || fail "needs docker (the CLI) and curl"
[ "$(id -u)" = 0 ] || fail "run it as root: it makes namespaces, links and iptables rules"
before=$(snapshot)

expect_refusal "up without root" "needs root.*run it as root" \
  setpriv --reuid=65534 --regid=65534 --clear-groups "$LAB_SH" up --name "$LAB" --hosts 2
ip link add "$DUMMY" type bridge
ip addr add "${COLLIDING_SUBNET%0/24}1/24" dev "$DUMMY"
ip link set "$DUMMY" up
expect_refusal "a subnet inside an existing route" "collides with the existing route '$COLLIDING_SUBNET dev $DUMMY" \
  "$LAB_SH" up --name "$LAB" --hosts 2 --subnet "${COLLIDING_SUBNET%0/24}128/25" --dir "$DIR"
expect_refusal "a subnet inside Docker's" "overlaps Docker's default bridge 172.17.0.0/16" \
  "$LAB_SH" up --name "$LAB" --hosts 2 --subnet 172.17.200.0/24 --dir "$DIR"
expect_refusal "a fault on a lab that is not up" "no lab named '$LAB'" "$LAB_SH" partition "$LAB" h1

up_started=$(date +%s%N)
"$LAB_SH" up --name "$LAB" --hosts 2 --subnet "$SUBNET" --dir "$DIR" --insecure-registry 10.231.77.1:5000 >"$DIR/up.out"
pass "up with 2 hosts in $((($(date +%s%N) - up_started) / 1000000)) ms"
diff -u "$DIR/up.out" "$DIR/hosts" || fail "DIR/hosts differs from what up printed"
[ "$(wc -l <"$DIR/up.out")" = 2 ] || fail "up printed $(wc -l <"$DIR/up.out") lines, not 2"
read -r NAME1 ADDR1 SOCK1 <<<"$(sed -n 1p "$DIR/up.out")"
read -r NAME2 ADDR2 SOCK2 <<<"$(sed -n 2p "$DIR/up.out")"
[ "$NAME1 $ADDR1 $SOCK1" = "h1 10.231.77.11 unix://$DIR/h1/docker.sock" ] || fail "host line 1: $NAME1 $ADDR1 $SOCK1"
[ "$NAME2 $ADDR2 $SOCK2" = "h2 10.231.77.12 unix://$DIR/h2/docker.sock" ] || fail "host line 2: $NAME2 $ADDR2 $SOCK2"
pass "host lines: $(tr '\n' ';' <"$DIR/up.out")"

for sock in "$SOCK1" "$SOCK2"; do
  engine_info "$sock" >/dev/null || fail "docker -H $sock info"
done
docker -H "$SOCK1" info --format '{{json .RegistryConfig.IndexConfigs}}' | grep -q '10.231.77.1:5000' ||
  fail "h1's engine does not trust the insecure registry"
[ "$(docker -H "$SOCK1" info --format '{{.ID}}')" != "$(docker -H "$SOCK2" info --format '{{.ID}}')" ] ||
  fail "h1 and h2 share one engine"
pass "each host's engine answers, its own, with the insecure registry"

"$LAB_SH" exec "$LAB" h1 busybox ping -c1 -W2 "$ADDR2" >/dev/null || fail "h1 cannot ping h2 at $ADDR2"
pass "h1 reaches h2 at $ADDR2"

# Beyond the lab bridge lies nothing for a host: a packet for another network of this machine
# (the other bridge's) is dropped by the lab's own rule, whatever FORWARD's policy says.
lab_drops() {
  iptables -w -L FORWARD -v -n -x | awk -v tag="shoal-lab:$LAB" '$0 ~ tag && $3 == "DROP" {print $1}'
}
drops=$(lab_drops)
! "$LAB_SH" exec "$LAB" h1 busybox ping -c1 -W1 "${COLLIDING_SUBNET%0/24}2" >/dev/null 2>&1 ||
  fail "h1 reached an address beyond the lab bridge"
(($(lab_drops) > drops)) || fail "h1's packet beyond the lab bridge was not dropped by the lab's rule"
ip link del "$DUMMY"
pass "h1's packets beyond the lab bridge are dropped"

web_image "$SOCK2"
docker -H "$SOCK2" run -d --name web --init --restart always -p 8080:80 labtest/web:1 \
  busybox httpd -f -p 80 -h /www >/dev/null
eventually "h2's published port from the root namespace" 20 page_from_root
eventually "h2's published port from h1" 10 page_from_h1

"$LAB_SH" partition "$LAB" h2 2>/dev/null
"$LAB_SH" partition "$LAB" h2 2>/dev/null # twice is once
never_answers page_from_root || fail "partitioned h2 still answers the root namespace"
never_answers page_from_h1 || fail "partitioned h2 still answers h1"
engine_info "$SOCK2" >/dev/null || fail "partitioned h2's engine stopped answering on its socket"
pass "partition: h2 unreachable from h1 and the root namespace, its engine still up"
"$LAB_SH" heal "$LAB" h2 2>/dev/null
eventually "heal: h2 reachable from the root namespace" 10 page_from_root
eventually "heal: h2 reachable from h1" 10 page_from_h1

"$LAB_SH" stop-engine "$LAB" h2 2>/dev/null
never_answers engine_info "$SOCK2" || fail "stop-engine: h2's engine still answers"
never_answers page_from_root || fail "stop-engine: h2's container still serves"
engine_info "$SOCK1" >/dev/null || fail "stop-engine h2 stopped h1's engine"
pass "stop-engine: h2's engine and its container are down, h1's engine is not"
[ "$("$LAB_SH" start-engine "$LAB" h2 2>/dev/null)" = "h2 $ADDR2 $SOCK2" ] || fail "start-engine did not print h2's line"
engine_info "$SOCK2" >/dev/null || fail "start-engine: h2's engine does not answer"
eventually "start-engine: the container (restart always) serves again from its kept data" 20 page_from_root

expect_refusal "a host that does not exist" "lab '$LAB' has no host 'h9' \(its hosts: h1 h2\)" "$LAB_SH" partition "$LAB" h9
expect_refusal "exec on a host that does not exist" "has no host 'nope'" "$LAB_SH" exec "$LAB" nope true
expect_refusal "a bad lab name" "lab name 'Bad_Name'" "$LAB_SH" down --name Bad_Name

# A crash: every engine killed, its containerd, shims, the container and mounts left behind.
web_pid=$(docker -H "$SOCK2" inspect --format '{{.State.Pid}}' web)
for h in h1 h2; do kill -KILL "$(cat "$DIR/$h/docker.pid")"; done
kill -0 "$web_pid" 2>/dev/null || fail "the container died with its engine: no crash leftovers to clean"
leftover=$(pgrep -f "$DIR/" | tr '\n' ' ')
{ [ -n "$leftover" ] && findmnt -rn -o TARGET | grep -qF "$DIR/h2/"; } || fail "a killed engine left no process or mount"
"$LAB_SH" up --name "$LAB" --hosts 2 --subnet "$SUBNET" --dir "$DIR" >"$DIR/up2.out" 2>"$DIR/up2.err"
grep -q "taking it down first" "$DIR/up2.err" || fail "the second up did not clean up first: $(cat "$DIR/up2.err")"
cmp -s "$DIR/up.out" "$DIR/up2.out" || fail "the second up printed other hosts: $(cat "$DIR/up2.out")"
for sock in "$SOCK1" "$SOCK2"; do engine_info "$sock" >/dev/null || fail "after the second up: docker -H $sock info"; done
[ -z "$(docker -H "$SOCK2" ps -aq)" ] || fail "the second up kept h2's old containers"
for pid in $web_pid $leftover; do
  ! kill -0 "$pid" 2>/dev/null || fail "the second up left process $pid of the crashed lab: $(ps -o args= -p "$pid")"
done
pass "a second up after a crash cleans up and starts"

"$LAB_SH" down --name "$LAB" --dir "$DIR" 2>/dev/null
"$LAB_SH" down --name "$LAB" --dir "$DIR" 2>/dev/null || fail "a second down failed"
leftover=$(pgrep -a -f "$DIR/" || true)
[ -z "$leftover" ] || fail "processes left: $leftover"
! findmnt -rn -o TARGET | grep -qF "$DIR/" || fail "mounts left under $DIR"
diff -u <(echo "$before") <(snapshot) || fail "down left the root namespace's network different from before up"
pass "down (twice): no process, mount, namespace, link or iptables rule left"
