#!/usr/bin/env bash
# Abusive clients on the mesh (#16, item 5): a well-behaved client's latency through one
# published port, alone and then while abusive clients hit the same mesh-proxy:
#   IDLE   TCP connections that send nothing (default 10,000)
#   SLOW   slowloris connections trickling one header byte every 2 s
#   HALF   half-open clients: half a request, then shutdown(SHUT_WR) (a SYN-only flood needs
#          raw sockets, which this script does not use)
#   UDP    a flood of datagrams each from a new source port to the service's UDP port
# Setup as bench/mesh.sh: a real etcd started here, seeded by BenchRoute (TCP and UDP ports),
# an nginx backend, a UDP sink as the UDP backend, the mesh-proxy standalone with mesh.sh's JVM
# flags. The good client is bench/mesh_abuse.py: sequential GETs of a 1 KiB file on a
# keep-alive connection, a new connection every 50th request.
#
#   bench/mesh-abuse.sh                       20 s baseline, 40 s abused
#   IDLE=2000 SLOW=200 HALF=200 UDP=20000 ABUSE_SECONDS=30 bench/mesh-abuse.sh
#
# Raises `ulimit -n` to 65,536 (soft, within the hard limit) for itself and its children: the
# abuse holds ~10,000 client sockets and the proxy as many again plus backends.
# Samples the mesh-proxy's VmRSS every 0.5 s; bound = -Xmx + MaxDirectMemorySize + 128 MiB of
# JVM overhead (metaspace, code cache, threads). Prints baseline p99, abused p99, the ratio
# (target <= 1.5), peak RSS vs bound, the proxy's counters, and a SUMMARY line last. Loopback
# only; every load is bounded in count and time; everything started is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IDLE="${IDLE:-10000}"; SLOW="${SLOW:-500}"; HALF="${HALF:-500}"; UDP="${UDP:-50000}"
BASE_SECONDS="${BASE_SECONDS:-20}"; SECONDS_ABUSE="${ABUSE_SECONDS:-40}"
MAX_REQUESTS="${MAX_REQUESTS:-200000}"
MESH_FLAGS="${MESH_FLAGS:-}"
OVERHEAD_MB=128

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
BOUND_MB=$((MESH_HEAP_MB + MESH_DIRECT_MB + OVERHEAD_MB))
need nginx nginx-light; need etcd etcd-server; need java openjdk-17-jdk-headless; need python3 python3; need curl curl
hard=$(ulimit -Hn)
want=65536; [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard
ulimit -n "$want"
echo "ulimit -n raised to $(ulimit -n)"

MESH_DIR="$ROOT/services/mesh-proxy"
[ -f "$MESH_DIR/target/classpath.txt" ] || die "build first: mvn -q -B package -pl services/mesh-proxy -am -DskipTests"
CP="$MESH_DIR/target/classes:$MESH_DIR/target/test-classes:$(cat "$MESH_DIR/target/classpath.txt")"

WORK="$(mktemp -d /tmp/shoal-bench-abuse.XXXXXX)"
chmod 755 "$WORK"
trap cleanup EXIT
trap "exit 143" TERM INT # so a timeout or ^C still runs cleanup

free_udp() { python3 -c 'import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
BACKEND=$(free_port); MESH=$(free_port)
MESH_GRPC=$(free_port); MESH_METRICS=$(free_port); MESH_UDP=$(free_udp); UDP_BACKEND=$(free_udp)

start_etcd

mkdir -p "$WORK/www" "$WORK/nginx"
head -c 1024 /dev/zero | tr '\0' 'x' >"$WORK/www/file"
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off; worker_processes 1; pid $WORK/nginx/nginx.pid; worker_rlimit_nofile 65536;
error_log $WORK/nginx/error.log warn;
events { worker_connections 30000; }
http {
  access_log off; keepalive_requests 1000000; client_header_timeout 300s; keepalive_timeout 300s;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$BACKEND; root $WORK/www; }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
# The UDP backend: a sink that reads (and drops) datagrams, for at most 10 minutes.
timeout 600 python3 -c "
import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(('127.0.0.1',$UDP_BACKEND))
while True: s.recv(2048)" &
PIDS+=($!)
wait_port "$BACKEND" "nginx backend"

PREFIX="/bench-abuse/$$/"
java -cp "$CP" io.shoal.meshproxy.bench.BenchRoute "http://127.0.0.1:$ETCD_PORT" "$PREFIX" "$MESH" 127.0.0.1 "$BACKEND" \
  "$MESH_UDP" "$UDP_BACKEND" >"$WORK/seed.log" 2>&1 || die "seeding etcd failed: $(cat "$WORK/seed.log")"
start_mesh_proxy "$PREFIX"
[ "$(curl -s --max-time 5 "http://127.0.0.1:$MESH/file" | wc -c)" = 1024 ] || die "the mesh does not serve the file: $(tail -5 "$WORK/mesh.log")"

# RSS sampler, bounded: at most 20 minutes of samples.
( for _ in $(seq 1 2400); do awk '/^VmRSS/ {print $2}' "/proc/$MESH_PID/status" 2>/dev/null || exit 0; sleep 0.5; done ) >"$WORK/rss" &
PIDS+=($!)
# metric NAME [TRANSPORT]: the sum of NAME's series (of one transport, tcp or udp, if given).
metric() {
  curl -s --max-time 5 "http://127.0.0.1:$MESH_METRICS/metrics" \
    | awk -v m="$1" -v t="${2:+network_transport=\"$2\"}" '$1 ~ "^"m"({|$)" && (t == "" || index($1, t)) { s += $2 } END { printf "%d", s }'
}

echo "warm-up: 5 s of the good client, not counted"
python3 "$ROOT/bench/mesh_abuse.py" good 127.0.0.1 "$MESH" 5 "$MAX_REQUESTS" >/dev/null
read -r _ base_n base_p50 base_p99 base_err < <(python3 "$ROOT/bench/mesh_abuse.py" good 127.0.0.1 "$MESH" "$BASE_SECONDS" "$MAX_REQUESTS")
echo "baseline: $base_n requests in ${BASE_SECONDS} s, p50 $base_p50 ms, p99 $base_p99 ms, errors $base_err"
rss_before=$(( $(awk '/^VmRSS/ {print $2}' "/proc/$MESH_PID/status") / 1024 ))

echo "abuse: $IDLE idle, $SLOW slowloris, $HALF half-open TCP connections, $UDP UDP datagrams from new source ports, for ${SECONDS_ABUSE} s"
python3 "$ROOT/bench/mesh_abuse.py" abuse 127.0.0.1 "$MESH" "$MESH_UDP" "$SECONDS_ABUSE" "$IDLE" "$SLOW" "$HALF" "$UDP" >"$WORK/abuse.out" 2>&1 &
ABUSE_PID=$!
PIDS+=("$ABUSE_PID")
# The good client starts once the abusive connections are open (or after 60 s at most).
for _ in $(seq 1 600); do grep -q '^ABUSE connected' "$WORK/abuse.out" && break; sleep 0.1; done
active_during=$(metric shoal_mesh_connections_active)
good_seconds=$(awk -v s="$SECONDS_ABUSE" 'BEGIN { printf "%d", s / 2 }')
read -r _ ab_n ab_p50 ab_p99 ab_err < <(python3 "$ROOT/bench/mesh_abuse.py" good 127.0.0.1 "$MESH" "$good_seconds" "$MAX_REQUESTS")
wait "$ABUSE_PID" || true
cat "$WORK/abuse.out"
echo "abused: $ab_n requests in ${good_seconds} s, p50 $ab_p50 ms, p99 $ab_p99 ms, errors (failed connects or resets) $ab_err"

peak=$(sort -n "$WORK/rss" | tail -1); peak_mb=$((peak / 1024))
hwm_mb=$(( $(awk '/^VmHWM/ {print $2}' "/proc/$MESH_PID/status") / 1024 ))
echo "mesh-proxy RSS: before abuse ${rss_before} MiB, peak sampled ${peak_mb} MiB, VmHWM ${hwm_mb} MiB; bound ${BOUND_MB} MiB (-Xmx${MESH_HEAP_MB}m + direct ${MESH_DIRECT_MB}m + ${OVERHEAD_MB} MiB JVM overhead)"
echo "counters: accepted $(metric shoal_mesh_connections_accepted_total), active during abuse $active_during, over limit $(metric shoal_mesh_connections_over_limit_total), evicted TCP $(metric shoal_mesh_connections_evicted_total tcp) UDP $(metric shoal_mesh_connections_evicted_total udp), idle closed $(metric shoal_mesh_connections_idle_closed_total), half-closed expired $(metric shoal_mesh_connections_half_closed_expired_total)"
ratio=$(awk -v a="$ab_p99" -v b="$base_p99" 'BEGIN { printf "%.2f", a / b }')
verdict=ok
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.5) }' || verdict=below-target
[ "$hwm_mb" -lt "$BOUND_MB" ] || verdict=below-target
[ "$ab_err" = 0 ] || verdict=below-target
echo "SUMMARY good client p99 $base_p99 ms alone, $ab_p99 ms under abuse = ${ratio}x (target <= 1.5), errors $ab_err; mesh-proxy RSS peak ${hwm_mb} MiB of ${BOUND_MB} MiB: $verdict"
