# Shared by the bench scripts that start their own processes on loopback (mesh.sh,
# mesh-abuse.sh): source it after setting WORK (their temp directory). Every process a script
# starts goes into PIDS; cleanup, on EXIT, stops them and removes WORK.
# shellcheck shell=bash

die() { echo "bench: $*" >&2; exit 1; }

# need TOOL PACKAGE [FILE]: installs PACKAGE with apt (as root) when TOOL (or FILE) is missing, as
# dev.sh does for the tests
need() {
  command -v "$1" >/dev/null && [ -e "${3:-/}" ] && return 0
  [ "$(id -u)" = 0 ] || die "$1 is missing; run as root or: sudo apt-get install -y $2"
  echo "bench: installing $2" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_port PORT NAME: up to 30 s for 127.0.0.1:PORT to accept
wait_port() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$2 did not listen on 127.0.0.1:$1 in 30 s (logs in $WORK)"
}

# start_etcd: a single-member etcd on loopback (data in WORK/etcd), its client port in ETCD_PORT;
# returns once it listens
start_etcd() {
  ETCD_PORT=$(free_port)
  local peer
  peer=$(free_port)
  etcd --name bench --data-dir "$WORK/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "bench=http://127.0.0.1:$peer" >"$WORK/etcd.log" 2>&1 &
  PIDS+=($!)
  wait_port "$ETCD_PORT" etcd
}

# The mesh-proxy's heap and pooled direct buffers in the benchmarks (dev.sh's bounds).
MESH_HEAP_MB=128
MESH_DIRECT_MB=64

# start_mesh_proxy PREFIX [JVM_OPTION...]: the mesh-proxy standalone on 127.0.0.1 from the classes
# on CP, reading the routes under PREFIX of the etcd at ETCD_PORT, gRPC on MESH_GRPC, metrics on
# MESH_METRICS, MESH_FLAGS added to its flags (split into words), its log in WORK/mesh.log; its
# pid in MESH_PID (and PIDS); returns once the published port MESH listens
start_mesh_proxy() {
  local prefix=$1
  shift
  # shellcheck disable=SC2086 # MESH_FLAGS splits into words on purpose
  java "$@" -Xms64m -Xmx${MESH_HEAP_MB}m -XX:MaxDirectMemorySize=${MESH_DIRECT_MB}m -XX:+UseSerialGC \
    -Dio.netty.leakDetection.level=disabled -cp "$CP" io.shoal.meshproxy.MeshProxyMain --addr 127.0.0.1 \
    --etcd-endpoints "http://127.0.0.1:$ETCD_PORT" --etcd-prefix "$prefix" \
    --listen "127.0.0.1:$MESH_GRPC" --metrics-port "$MESH_METRICS" --insecure ${MESH_FLAGS:-} >"$WORK/mesh.log" 2>&1 &
  MESH_PID=$!
  PIDS+=("$MESH_PID")
  wait_port "$MESH" "mesh-proxy"
}
