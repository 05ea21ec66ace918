#!/usr/bin/env bash
# Routing mesh throughput and latency: wrk against an nginx backend serving a small file,
#   direct        wrk -> nginx backend
#   mesh          wrk -> Shoal's mesh-proxy -> nginx backend
#   nginx-stream  wrk -> nginx's stream (L4) proxy -> nginx backend
# in alternating rounds, same backend, same wrk settings. The mesh-proxy runs standalone on a
# real etcd that this script starts, seeded with one service and one RUNNING task pointing at
# the backend (BenchRoute, in the mesh-proxy's test classes); no cluster or dockerd needed.
#
#   bench/mesh.sh                     3 rounds of 10 s, wrk -t1 -c32, a 1 KiB file
#   ROUNDS=5 DURATION=15s CONNS=64 bench/mesh.sh
#   MESH_FLAGS="--some-flag" MESH_JAVA_OPTS="-Dx=y" bench/mesh.sh   extra mesh-proxy flags / JVM options
#
# Prints each run, then per target the median req/s, p50, p99, p99.9 and max latency over the
# rounds, the proxies' CPU time per request, the ratios and the proxies' memory (RSS now and peak), and a single
# summary line last. Everything binds
# 127.0.0.1 only, every run is bounded by DURATION, and everything started is stopped on exit.
# Every proxy shares the machine's cores with wrk and the backend: compare ratios from one run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-32}"
THREADS="${THREADS:-1}"
FILE_BYTES="${FILE_BYTES:-1024}"
MESH_FLAGS="${MESH_FLAGS:-}"
MESH_JAVA_OPTS="${MESH_JAVA_OPTS:-}"

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
need wrk wrk; need nginx nginx-light; need nginx libnginx-mod-stream /usr/lib/nginx/modules/ngx_stream_module.so
need etcd etcd-server; need java openjdk-17-jdk-headless; need python3 python3
STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so
[ -f "$STREAM_MODULE" ] || die "nginx's stream module is missing (apt-get install -y libnginx-mod-stream)"

MESH_DIR="$ROOT/services/mesh-proxy"
if [ ! -f "$MESH_DIR/target/classpath.txt" ] || [ ! -f "$MESH_DIR/target/test-classes/io/shoal/meshproxy/bench/BenchRoute.class" ]; then
  echo "bench: building mesh-proxy" >&2
  (cd "$ROOT" && mvn -q -B package -pl services/mesh-proxy -am -DskipTests) >&2
fi
CP="$MESH_DIR/target/classes:$MESH_DIR/target/test-classes:$(cat "$MESH_DIR/target/classpath.txt")"

WORK="$(mktemp -d /tmp/shoal-bench-mesh.XXXXXX)"
chmod 755 "$WORK" # nginx's workers (nobody when started as root) read the file below it
trap cleanup EXIT

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
# CPU time (clock ticks) of a process, or of an nginx master and its workers: CPU per request
# is far steadier than req/s on a shared machine.
cpu_ticks() { local t=0 p; for p in $1 $(pgrep -P "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
# Memory of an nginx master and its workers.
nginx_rss_kib() { local t=0 p; for p in $1 $(pgrep -P "$1"); do t=$((t + $(rss_kib "$p"))); done; echo "$t"; }

BACKEND=$(free_port); STREAM=$(free_port); MESH=$(free_port)
MESH_GRPC=$(free_port); MESH_METRICS=$(free_port)

# --- etcd ---
start_etcd

# --- nginx: the backend (one worker, as a task would be) and the stream proxy (auto workers) ---
mkdir -p "$WORK/www" "$WORK/nginx-backend" "$WORK/nginx-stream"
head -c "$FILE_BYTES" /dev/zero | tr '\0' 'x' >"$WORK/www/file"
cat >"$WORK/nginx-backend/nginx.conf" <<EOF
daemon off; worker_processes 1; pid $WORK/nginx-backend/nginx.pid;
error_log $WORK/nginx-backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx-backend; proxy_temp_path $WORK/nginx-backend;
  fastcgi_temp_path $WORK/nginx-backend; uwsgi_temp_path $WORK/nginx-backend; scgi_temp_path $WORK/nginx-backend;
  server { listen 127.0.0.1:$BACKEND; root $WORK/www; }
}
EOF
cat >"$WORK/nginx-stream/nginx.conf" <<EOF
load_module $STREAM_MODULE;
daemon off; worker_processes auto; pid $WORK/nginx-stream/nginx.pid;
error_log $WORK/nginx-stream/error.log warn;
events { worker_connections 4096; }
stream { server { listen 127.0.0.1:$STREAM; proxy_pass 127.0.0.1:$BACKEND; } }
EOF
nginx -p "$WORK/nginx-backend" -c "$WORK/nginx-backend/nginx.conf" &
PIDS+=($!)
NGINX_STREAM_LOG="$WORK/nginx-stream/run.log"
nginx -p "$WORK/nginx-stream" -c "$WORK/nginx-stream/nginx.conf" >"$NGINX_STREAM_LOG" 2>&1 &
STREAM_PID=$!
PIDS+=("$STREAM_PID")
wait_port "$BACKEND" "nginx backend"
wait_port "$STREAM" "nginx stream"

# --- Shoal's mesh-proxy, standalone, with one route seeded in etcd ---
PREFIX="/bench/$$/"
java -cp "$CP" io.shoal.meshproxy.bench.BenchRoute "http://127.0.0.1:$ETCD_PORT" "$PREFIX" "$MESH" 127.0.0.1 "$BACKEND" >"$WORK/seed.log" 2>&1 \
  || die "seeding etcd failed: $(cat "$WORK/seed.log")"
# shellcheck disable=SC2086 # MESH_JAVA_OPTS splits into words on purpose
start_mesh_proxy "$PREFIX" $MESH_JAVA_OPTS

URL_PATH="/file"
declare -A URL=([direct]="http://127.0.0.1:$BACKEND$URL_PATH" [mesh]="http://127.0.0.1:$MESH$URL_PATH" [nginx-stream]="http://127.0.0.1:$STREAM$URL_PATH")
TARGETS=(direct mesh nginx-stream)
declare -A PROXY_PID=([mesh]="$MESH_PID" [nginx-stream]="$STREAM_PID")

to_ms() { # wrk latency (e.g. 512.00us, 1.20ms, 2.01s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
run_wrk() { # run_wrk TARGET -> "rps p50_ms p99_ms cpu_us_per_request p999_ms max_ms", fails on socket errors or non-2xx answers
  local out rps p50 p99 p999 max before after requests cpu=0
  [ -n "${PROXY_PID[$1]:-}" ] && before=$(cpu_ticks "${PROXY_PID[$1]}")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/wrk-tail.lua" "${URL[$1]}")
  if grep -qE 'Socket errors|Non-2xx' <<<"$out"; then
    echo "bench: errors through $1:" >&2; echo "$out" >&2; exit 1
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  p999=$(sed -n 's/^TAIL p99.9=\([0-9.]*\)ms.*/\1/p' <<<"$out")
  max=$(sed -n 's/^TAIL .* max=\([0-9.]*\)ms/\1/p' <<<"$out")
  if [ -n "${PROXY_PID[$1]:-}" ]; then
    after=$(cpu_ticks "${PROXY_PID[$1]}")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  fi
  echo "$rps $p50 $p99 $cpu $p999 $max"
}

sanity=$(curl -s --max-time 5 "${URL[mesh]}" | wc -c)
[ "$sanity" = "$FILE_BYTES" ] || die "the mesh answered $sanity bytes, not $FILE_BYTES (log: $(tail -5 "$WORK/mesh.log"))"
echo "warm-up: 5 s through the mesh (JIT), not counted"
wrk -t"$THREADS" -c"$CONNS" -d5s "${URL[mesh]}" >/dev/null

echo "wrk -t$THREADS -c$CONNS -d$DURATION, ${FILE_BYTES} B file, $ROUNDS rounds, $(nproc) cores"
declare -A RPS P50 P99 CPU P999 MAX
for round in $(seq 1 "$ROUNDS"); do
  # Alternate the order each round so no target always runs first or last.
  if [ $((round % 2)) = 1 ]; then order=("${TARGETS[@]}"); else order=(nginx-stream mesh direct); fi
  for t in "${order[@]}"; do
    read -r rps p50 p99 cpu p999 max < <(run_wrk "$t")
    printf '  round %d %-13s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  max %7.3f ms  proxy CPU %5.1f us/req\n' "$round" "$t" "$rps" "$p50" "$p99" "$p999" "$max" "$cpu"
    RPS[$t]+="$rps "; P50[$t]+="$p50 "; P99[$t]+="$p99 "; CPU[$t]+="$cpu "; P999[$t]+="$p999 "; MAX[$t]+="$max "
  done
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -A M_RPS M_P50 M_P99 M_CPU
echo
printf '%-13s %12s %10s %10s %10s %10s %14s\n' target "req/s" "p50 ms" "p99 ms" "p99.9 ms" "max ms" "CPU us/req"
for t in "${TARGETS[@]}"; do
  M_RPS[$t]=$(median "${RPS[$t]}"); M_P50[$t]=$(median "${P50[$t]}"); M_P99[$t]=$(median "${P99[$t]}"); M_CPU[$t]=$(median "${CPU[$t]}")
  printf '%-13s %12.0f %10.3f %10.3f %10.3f %10.3f %14.1f\n' "$t" "${M_RPS[$t]}" "${M_P50[$t]}" "${M_P99[$t]}" \
    "$(median "${P999[$t]}")" "$(median "${MAX[$t]}")" "${M_CPU[$t]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mesh_vs_direct=$(ratio "${M_RPS[mesh]}" "${M_RPS[direct]}")
stream_vs_direct=$(ratio "${M_RPS[nginx-stream]}" "${M_RPS[direct]}")
mesh_vs_stream=$(ratio "${M_RPS[mesh]}" "${M_RPS[nginx-stream]}")
p99_vs_stream=$(ratio "${M_P99[mesh]}" "${M_P99[nginx-stream]}")
mesh_rss=$(( $(rss_kib "$MESH_PID") / 1024 )); mesh_hwm=$(( $(hwm_kib "$MESH_PID") / 1024 ))
stream_rss=$(( $(nginx_rss_kib "$STREAM_PID") / 1024 ))
echo
echo "throughput: mesh/direct ${mesh_vs_direct}x, nginx-stream/direct ${stream_vs_direct}x, mesh/nginx-stream ${mesh_vs_stream}x"
echo "proxy CPU per request: mesh ${M_CPU[mesh]} us, nginx-stream ${M_CPU[nginx-stream]} us (steadier than req/s when the cores are shared)"
echo "p99: mesh/nginx-stream ${p99_vs_stream}x (${M_P99[mesh]} ms vs ${M_P99[nginx-stream]} ms)"
echo "memory: mesh-proxy RSS ${mesh_rss} MiB (peak ${mesh_hwm} MiB), nginx stream RSS ${stream_rss} MiB"

verdict=ok
awk -v r="$mesh_vs_stream" 'BEGIN { exit !(r >= 1.0) }' || verdict=below-target
awk -v r="$p99_vs_stream" 'BEGIN { exit !(r <= 1.0) }' || verdict=below-target
[ "$mesh_hwm" -lt 256 ] || verdict=below-target
echo "SUMMARY mesh ${M_RPS[mesh]} req/s = ${mesh_vs_stream}x nginx-stream (${mesh_vs_direct}x direct), p99 ${M_P99[mesh]} ms vs ${M_P99[nginx-stream]} ms, RSS peak ${mesh_hwm} MiB: ${verdict} (targets: >=1.0x, p99 no worse, <256 MiB)"
