#!/usr/bin/env bash
# Overlay networks on the lab (deploy/dev.sh up), each figure against its baseline from the same run:
#   1. throughput task → task across hosts over the overlay (VXLAN), against the same two tasks
#      over the lab bridge without it (to the server task's host-mode published port at its
#      host's address, as tasks reach each other without overlays): iperf3, BENCH_SECONDS (5)
#      per round; the two hosts' own namespaces over the bridge are printed too;
#   2. HTTP through a service's VIP against straight to one of its tasks' addresses: ab from
#      inside a task's network namespace, BENCH_REQUESTS (3000) requests, 8 at a time;
#   3. name lookups of a service from inside a task (through Docker's embedded DNS to the
#      agent's): p50, p99 of BENCH_LOOKUPS (2000), one at a time;
#   4. from a new task starting to its address being in tasks.NAME and behind the VIP on every
#      host: BENCH_SCALES (5) scale-ups, the median.
# Each round alternates the two sides of a pair. Tools run in the tasks' network namespaces
# (nsenter --net) from this machine's filesystem, so the task image needs none of them.
#
#   bench/overlay.sh          BENCH_ROUNDS (3) rounds of 1 and 2
#
# Everything it creates (a network, three services) is removed on exit. Traffic stays on the
# lab's own addresses. Both sides share this machine's cores: compare ratios within one run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHOAL="$ROOT/bin/shoal"
CLUSTER_ENV="$ROOT/.dev/cluster.env"
ROUNDS="${BENCH_ROUNDS:-3}"
SECONDS_PER_ROUND="${BENCH_SECONDS:-5}"
REQUESTS="${BENCH_REQUESTS:-3000}"
LOOKUPS="${BENCH_LOOKUPS:-2000}"
SCALES="${BENCH_SCALES:-5}"
PY=/usr/bin/python3

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "==> $*" >&2; }

[ "$(id -u)" = 0 ] || die "needs root (it enters the lab's network namespaces)"
[ -s "$CLUSTER_ENV" ] || die "no lab cluster; run deploy/dev.sh up first"
# shellcheck source=/dev/null
. "$CLUSTER_ENV"
if ! command -v iperf3 >/dev/null; then
  say "installing iperf3"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iperf3 >/dev/null
fi
for tool in ab nsenter iptables-save; do command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y apache2-utils util-linux iptables)"; done
[ -x "$PY" ] || die "$PY is missing"
"$SHOAL" node ls >/dev/null 2>&1 || die "control does not answer; run deploy/dev.sh up first"
HOSTS=() ADDRS=() ENGINES=()
while read -r host addr socket; do HOSTS+=("$host") ADDRS+=("$addr") ENGINES+=("$socket"); done <"$HOSTS_FILE"
[ ${#HOSTS[@]} -ge 2 ] || die "needs at least 2 hosts (SHOAL_HOSTS)"

TAG="bench$$"
NET="$TAG-net"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$SHOAL" service rm "$TAG-web" "$TAG-cli" "$TAG-sink" >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do "$SHOAL" network rm "$NET" >/dev/null 2>&1 && break; sleep 1; done
}
trap cleanup EXIT

engine_of() { local i; for i in "${!HOSTS[@]}"; do [ "${HOSTS[$i]}" = "$1" ] && echo "${ENGINES[$i]}"; done; }
netns_of() { echo "/var/run/netns/$LAB-$1"; }
# pid_of SERVICE HOST: the main process of the service's running container on HOST
pid_of() {
  local engine id
  engine=$(engine_of "$2")
  id=$(docker -H "$engine" ps -q --filter "label=io.shoal.service.name=$1" | head -1)
  [ -n "$id" ] || die "no running container of $1 on $2"
  docker -H "$engine" inspect -f '{{.State.Pid}}' "$id"
}
# addr_in PID: the container's address on the overlay (its eth0)
addr_in() { nsenter --net="/proc/$1/ns/net" ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1; }
in_task() { local pid=$1; shift; nsenter --net="/proc/$pid/ns/net" "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "nan"; else printf "%.2f", a / b }'; }

H1=${HOSTS[0]} H2=${HOSTS[1]}
say "network $NET, a web service on $H1, a client on every host"
"$SHOAL" network create "$NET" >/dev/null
"$SHOAL" service create --name "$TAG-web" --replicas 2 --network "$NET" --constraint "node.hostname==$H1" \
  --init --quiet "$DEMO_IMAGE" httpd -f -p 80 -h /www >/dev/null
SINK_PORT=5201
"$SHOAL" service create --name "$TAG-sink" --network "$NET" --constraint "node.hostname==$H1" \
  --publish "mode=host,published=$SINK_PORT,target=$SINK_PORT" --init --quiet "$DEMO_IMAGE" sleep 100000 >/dev/null
"$SHOAL" service create --name "$TAG-cli" --mode global --network "$NET" \
  --init --quiet "$DEMO_IMAGE" sleep 100000 >/dev/null

CLI_PID=$(pid_of "$TAG-cli" "$H2")
SINK_PID=$(pid_of "$TAG-sink" "$H1")
SINK_ADDR=$(addr_in "$SINK_PID")
WEB_PID=$(pid_of "$TAG-web" "$H1")
WEB_ADDR=$(addr_in "$WEB_PID")
VIP=$("$SHOAL" service inspect "$TAG-web" | $PY -c 'import json,sys; d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d; print(d["endpoint"]["virtualIps"][0]["addr"].split("/")[0])')
say "sink $SINK_ADDR on $H1, web task $WEB_ADDR and VIP $VIP, client on $H2"

# iperf3_gbps SERVER_ENTER CLIENT_ENTER TARGET: Gbit/s received, one run of SECONDS_PER_ROUND
iperf3_gbps() {
  local server=$1 client=$2 target=$3 spid out
  # shellcheck disable=SC2086 # the enter prefixes are words
  $server iperf3 -s -1 -p "$SINK_PORT" >/dev/null 2>&1 &
  spid=$!
  PIDS+=("$spid")
  for _ in $(seq 1 100); do $server ss -Hltn "sport = :$SINK_PORT" | grep -q . && break; sleep 0.05; done
  out=$(timeout $((SECONDS_PER_ROUND + 20)) $client iperf3 -c "$target" -p "$SINK_PORT" -t "$SECONDS_PER_ROUND" -J)
  wait "$spid" 2>/dev/null || true
  echo "$out" | $PY -c 'import json,sys; print("%.3f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9))'
}

# ab_stats ENTER URL: "req/s p99ms"
ab_stats() {
  local out
  out=$(timeout 120 $1 ab -q -n "$REQUESTS" -c 8 "$2" 2>&1) || die "ab $2 failed: $out"
  echo "$(echo "$out" | awk '/^Requests per second/ {print $4}') $(echo "$out" | awk '$1 == "99%" {print $2}')"
}

OVERLAY=() BRIDGE=() HOST_TO_HOST=() VIP_RPS=() DIRECT_RPS=() VIP_P99=() DIRECT_P99=()
for round in $(seq 1 "$ROUNDS"); do
  bridge=$(iperf3_gbps "nsenter --net=/proc/$SINK_PID/ns/net" "nsenter --net=/proc/$CLI_PID/ns/net" "${ADDRS[0]}")
  hosts=$(iperf3_gbps "nsenter --net=$(netns_of "$H1")" "nsenter --net=$(netns_of "$H2")" "${ADDRS[0]}")
  overlay=$(iperf3_gbps "nsenter --net=/proc/$SINK_PID/ns/net" "nsenter --net=/proc/$CLI_PID/ns/net" "$SINK_ADDR")
  read -r vrps vp99 <<<"$(ab_stats "nsenter --net=/proc/$CLI_PID/ns/net" "http://$VIP/")"
  read -r drps dp99 <<<"$(ab_stats "nsenter --net=/proc/$CLI_PID/ns/net" "http://$WEB_ADDR/")"
  echo "round $round: bridge ${bridge} Gbit/s, overlay ${overlay} Gbit/s (host to host ${hosts}); VIP ${vrps} req/s p99 ${vp99} ms, direct ${drps} req/s p99 ${dp99} ms"
  BRIDGE+=("$bridge") HOST_TO_HOST+=("$hosts") OVERLAY+=("$overlay") VIP_RPS+=("$vrps") DIRECT_RPS+=("$drps") VIP_P99+=("$vp99") DIRECT_P99+=("$dp99")
done

# Lookups and propagation, in Python: one process, monotonic clock, no fork per query.
PROBE=$(cat <<'PY'
import socket, struct, subprocess, sys, time, random

def query(name, server=("127.0.0.11", 53), timeout=2.0):
    qid = random.randrange(65536)
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, server)
        data, _ = s.recvfrom(2048)
    finally:
        s.close()
    an = struct.unpack(">H", data[6:8])[0]
    pos = 12
    while data[pos] != 0:
        pos += data[pos] + 1
    pos += 5
    addrs = []
    for _ in range(an):
        if data[pos] & 0xC0 == 0xC0:
            pos += 2
        else:
            while data[pos] != 0:
                pos += data[pos] + 1
            pos += 1
        rtype, _, _, rdlen = struct.unpack(">HHIH", data[pos:pos + 10])
        pos += 10
        if rtype == 1:
            addrs.append(socket.inet_ntoa(data[pos:pos + rdlen]))
        pos += rdlen
    return addrs

mode = sys.argv[1]
if mode == "lookups":
    name, n = sys.argv[2], int(sys.argv[3])
    lat = []
    for _ in range(n):
        t = time.perf_counter()
        if not query(name):
            sys.exit("no answer for " + name)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    print("%.3f %.3f" % (lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1]))
elif mode == "appears":
    # appears NAME ADDR DEADLINE_S: wall-clock time when ADDR is in NAME's answer and in the VIP rules
    name, addr, deadline = sys.argv[2], sys.argv[3], time.time() + float(sys.argv[4])
    seen_dns = seen_vip = None
    while time.time() < deadline and (seen_dns is None or seen_vip is None):
        if seen_dns is None and addr in query(name):
            seen_dns = time.time()
        if seen_vip is None and (addr + "\n") in subprocess.run(["iptables-save", "-t", "nat"], capture_output=True, text=True).stdout.replace(" ", "\n"):
            seen_vip = time.time()
        time.sleep(0.002)
    if seen_dns is None or seen_vip is None:
        sys.exit("%s did not appear in time (dns %s, vip %s)" % (addr, seen_dns, seen_vip))
    print("%.6f" % max(seen_dns, seen_vip))
PY
)
read -r LOOKUP_P50 LOOKUP_P99 <<<"$(in_task "$CLI_PID" $PY -c "$PROBE" lookups "$TAG-web" "$LOOKUPS")"

say "propagation: $SCALES scale-ups of $TAG-web, watched from the client on every host"
PROPAGATION=()
replicas=2
for _ in $(seq 1 "$SCALES"); do
  before=$(docker -H "$(engine_of "$H1")" ps -q --filter "label=io.shoal.service.name=$TAG-web" | sort)
  replicas=$((replicas + 1))
  "$SHOAL" service scale "$TAG-web=$replicas" --detach >/dev/null
  new=""
  for _ in $(seq 1 300); do
    new=$(comm -13 <(echo "$before") <(docker -H "$(engine_of "$H1")" ps -q --filter "label=io.shoal.service.name=$TAG-web" | sort) | head -1)
    [ -n "$new" ] && break
    sleep 0.05
  done
  [ -n "$new" ] || die "no new task of $TAG-web started"
  pid=$(docker -H "$(engine_of "$H1")" inspect -f '{{.State.Pid}}' "$new")
  addr=$(addr_in "$pid")
  started=$(docker -H "$(engine_of "$H1")" inspect -f '{{.State.StartedAt}}' "$new")
  seen=()
  probes=()
  for host in "${HOSTS[@]}"; do
    cpid=$(pid_of "$TAG-cli" "$host")
    in_task "$cpid" $PY -c "$PROBE" appears "tasks.$TAG-web" "$addr" 30 >"/tmp/$TAG.$host" &
    probes+=($!)
  done
  for p in "${probes[@]}"; do wait "$p" || die "propagation probe failed: $(cat /tmp/$TAG.* 2>/dev/null)"; done
  for host in "${HOSTS[@]}"; do seen+=("$(cat "/tmp/$TAG.$host")"); rm -f "/tmp/$TAG.$host"; done
  ms=$($PY -c 'import sys, datetime
s = sys.argv[1]
base, frac = s.rstrip("Z").split(".")
t = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp() + float("0." + frac)
print("%.0f" % ((max(float(x) for x in sys.argv[2:]) - t) * 1000))' "$started" "${seen[@]}")
  echo "scale to $replicas: $addr in tasks.NAME and the VIP on every host $ms ms after its container started"
  PROPAGATION+=("$ms")
done

m_bridge=$(printf '%s\n' "${BRIDGE[@]}" | median); m_overlay=$(printf '%s\n' "${OVERLAY[@]}" | median)
m_hosts=$(printf '%s\n' "${HOST_TO_HOST[@]}" | median)
m_vrps=$(printf '%s\n' "${VIP_RPS[@]}" | median); m_drps=$(printf '%s\n' "${DIRECT_RPS[@]}" | median)
m_vp99=$(printf '%s\n' "${VIP_P99[@]}" | median); m_dp99=$(printf '%s\n' "${DIRECT_P99[@]}" | median)
m_prop=$(printf '%s\n' "${PROPAGATION[@]}" | median)
echo
echo "overlay throughput ${m_overlay} Gbit/s vs lab bridge ${m_bridge} Gbit/s: $(ratio "$m_overlay" "$m_bridge")x (target >= 0.8)"
echo "  (the two hosts' own namespaces, no container, no NAT: ${m_hosts} Gbit/s; overlay $(ratio "$m_overlay" "$m_hosts")x of it)"
echo "VIP ${m_vrps} req/s vs direct ${m_drps} req/s: $(ratio "$m_vrps" "$m_drps")x (target >= 0.9); p99 ${m_vp99} vs ${m_dp99} ms: $(ratio "$m_vp99" "$m_dp99")x (target <= 1.2)"
echo "name lookup from a task: p50 ${LOOKUP_P50} ms, p99 ${LOOKUP_P99} ms (target p99 <= 2 ms)"
echo "new task to tasks.NAME and the VIP everywhere: median ${m_prop} ms over ${#PROPAGATION[@]} (target <= 1000 ms)"
