#!/usr/bin/env bash
# Container images of Shoal, and of what deploy/compose.yml runs beside it, built on the engine at
# DOCKER_HOST without pulling anything (docs/ARCHITECTURE.md, "Packaging"):
#
#   DOCKER_HOST=unix:///var/run/docker.sock deploy/images.sh [--tag TAG] [--prefix PREFIX]
#
# PREFIX/jre:TAG        busybox, glibc and a JRE jlink'd from the local JDK 17 with only the
#                       modules Shoal uses (SHOAL_MODULES), imported with `docker import`
# PREFIX/shoal:TAG      FROM that base, the release archive (dist/target): bin/, lib/, etc/;
#                       entrypoint the CLI (bin/shoal)
# PREFIX/control:TAG …  FROM PREFIX/shoal, entrypoint the part's launcher: control registry
#                       scheduler dispatcher agent mesh-proxy (each holds the CLI too)
# PREFIX/etcd:TAG, PREFIX/prometheus:TAG   Debian's binaries on a busybox rootfs
# PREFIX/zipkin:TAG     Zipkin's exec jar on a JRE jlink'd with the modules it needs (ZIPKIN_MODULES)
#
# PREFIX defaults to shoal, TAG to the project's version. Prints each image's size and fails when
# a Shoal image is larger than MAX_MIB. Needs: the archive (mvn -q package -DskipTests), jlink,
# busybox-static, etcd-server, prometheus, and Zipkin's exec jar (ZIPKIN_JAR, default the one
# deploy/dev.sh fetches into .dev/tools, fetched the same way when missing).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml")
TAG=$VERSION
PREFIX=shoal
MAX_MIB=150
PARTS=(control registry scheduler dispatcher agent mesh-proxy)
# The union of `jdeps --print-module-deps --ignore-missing-deps` over each jar of lib/ (2026-12):
# java.base java.logging java.naming java.net.http java.security.jgss java.sql jdk.httpserver
# jdk.jfr (shaded Netty's allocator events) jdk.unsupported; left out: java.desktop (only JNA's
# AWT helpers and commons-lang3 name it; 12 MiB). Added, as jdeps cannot see them: jdk.crypto.ec
# (TLS with the cluster's EC keys, a security provider) and jdk.naming.dns (gRPC's DNS resolver
# asks JNDI for SRV/TXT records). java.management: every part's /metrics reads its memory pools
# (common/server's JvmMemoryMetrics); without it no part starts (ComposeStackIT found it).
SHOAL_MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns
# Zipkin's server is a Spring Boot jar: the union of jdeps over its BOOT-INF/lib jars (3.5.1), and
# jdk.crypto.ec as above.
ZIPKIN_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.crypto.ec
BUSYBOX_APPLETS=(sh ash base64 cat cp echo env id ls ln mkdir mv rm sleep wget printf grep sed tr head tail chmod hostname ip nsenter mount umount nc timeout)

die() { printf 'images.sh: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --tag) TAG=${2:?--tag needs a value}; shift 2 ;;
    --prefix) PREFIX=${2:?--prefix needs a value}; shift 2 ;;
    *) die "unknown argument '$1'; usage: DOCKER_HOST=... deploy/images.sh [--tag TAG] [--prefix PREFIX]" ;;
  esac
done
[ -n "${DOCKER_HOST:-}" ] || die "set DOCKER_HOST to the engine to build on, e.g. DOCKER_HOST=unix:///var/run/docker.sock"
docker info >/dev/null 2>&1 || die "the engine at DOCKER_HOST=$DOCKER_HOST does not answer (docker info)"
ARCHIVE="$ROOT/dist/target/shoal-$VERSION.tar.gz"
[ -s "$ARCHIVE" ] || die "no release archive $ARCHIVE; build it: mvn -q package -DskipTests"
command -v jlink >/dev/null || die "no jlink; install openjdk-17-jdk-headless (and openjdk-17-jmods where jmods are apart)"
[ -x /usr/bin/busybox ] || die "no /usr/bin/busybox; apt-get install busybox-static"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/shoal-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
JDK_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")

# busybox_rootfs DIR: busybox as /bin/sh and a few tools, /tmp, and users root and nobody
busybox_rootfs() {
  local dir=$1 applet
  mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/root"
  chmod 1777 "$dir/tmp"
  cp /usr/bin/busybox "$dir/bin/busybox"
  for applet in "${BUSYBOX_APPLETS[@]}"; do ln -sf busybox "$dir/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
}

# add_libraries DIR FILE...: the shared libraries FILEs load (ldd), and the loader, at their paths
add_libraries() {
  local dir=$1 lib; shift
  # "name => /path (addr)" and the loader's "/path (addr)"; not ldd's "FILE:" headers.
  for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' | sort -u); do
    case $lib in "$dir"/*) continue ;; esac # the rootfs's own (the JRE's libjli, libjvm)
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
}

# jre_rootfs DIR MODULES: a busybox rootfs with a JRE of MODULES in /opt/java and its libraries;
# with the JDK's classes in a CDS archive, as a JDK has: every JVM of the stack starts faster.
jre_rootfs() {
  local dir=$1 modules=$2
  busybox_rootfs "$dir"
  jlink --module-path "$JDK_HOME/jmods" --add-modules "$modules" --output "$dir/opt/java" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive
  # Debian's JDK links cacerts to /etc/ssl: a real file, as TLS to anything outside needs it.
  if [ -L "$dir/opt/java/lib/security/cacerts" ]; then
    cp --remove-destination -L "$dir/opt/java/lib/security/cacerts" "$dir/opt/java/lib/security/cacerts"
  fi
  # shellcheck disable=SC2046 # every native library of the JRE
  add_libraries "$dir" "$dir/opt/java/bin/java" $(find "$dir/opt/java/lib" -name '*.so')
}

# import_rootfs DIR IMAGE CHANGE...: the directory as an image (docker import), with Dockerfile CHANGEs
import_rootfs() {
  local dir=$1 image=$2 change args=(); shift 2
  for change in "$@"; do args+=(--change "$change"); done
  tar -C "$dir" -c . | docker import "${args[@]}" - "$image" >/dev/null
}

JAVA_ENV=('ENV PATH=/opt/shoal/bin:/opt/java/bin:/bin' 'ENV JAVA_HOME=/opt/java')

build_shoal_images() {
  local context="$WORK/shoal" part
  jre_rootfs "$WORK/jre" "$SHOAL_MODULES"
  import_rootfs "$WORK/jre" "$PREFIX/jre:$TAG" "${JAVA_ENV[@]}"
  mkdir -p "$context"
  tar -xzf "$ARCHIVE" -C "$context" --strip-components=1
  # The archive on the JRE once (PREFIX/shoal, entrypoint the CLI); each part's image adds only
  # its entrypoint, so the engine keeps lib/ once for all of them.
  docker build -q -t "$PREFIX/shoal:$TAG" -f - "$context" >/dev/null <<DOCKERFILE
FROM $PREFIX/jre:$TAG
COPY lib /opt/shoal/lib
COPY bin /opt/shoal/bin
COPY etc /opt/shoal/etc
COPY README.md /opt/shoal/
LABEL io.shoal.version=$VERSION
ENTRYPOINT ["/opt/shoal/bin/shoal"]
DOCKERFILE
  for part in "${PARTS[@]}"; do
    docker build -q -t "$PREFIX/$part:$TAG" - >/dev/null <<DOCKERFILE
FROM $PREFIX/shoal:$TAG
LABEL io.shoal.part=$part
ENTRYPOINT ["/opt/shoal/bin/shoal-$part"]
DOCKERFILE
  done
}

build_etcd_image() {
  busybox_rootfs "$WORK/etcd"
  mkdir -p "$WORK/etcd/usr/bin" "$WORK/etcd/var/lib/etcd"
  cp "$(command -v etcd)" "$WORK/etcd/usr/bin/etcd"
  add_libraries "$WORK/etcd" "$WORK/etcd/usr/bin/etcd"
  import_rootfs "$WORK/etcd" "$PREFIX/etcd:$TAG" 'ENV PATH=/usr/bin:/bin' 'ENTRYPOINT ["/usr/bin/etcd"]'
}

build_prometheus_image() {
  busybox_rootfs "$WORK/prometheus"
  mkdir -p "$WORK/prometheus/usr/bin" "$WORK/prometheus/usr/share" "$WORK/prometheus/prometheus"
  cp "$(command -v prometheus)" "$(command -v promtool)" "$WORK/prometheus/usr/bin/"
  [ ! -d /usr/share/prometheus ] || cp -r /usr/share/prometheus "$WORK/prometheus/usr/share/"
  add_libraries "$WORK/prometheus" "$WORK/prometheus/usr/bin/prometheus"
  import_rootfs "$WORK/prometheus" "$PREFIX/prometheus:$TAG" 'ENV PATH=/usr/bin:/bin' \
    'WORKDIR /prometheus' 'ENTRYPOINT ["/usr/bin/prometheus"]'
}

build_zipkin_image() {
  local version jar
  version=$(sed -n 's:.*<zipkin.version>\(.*\)</zipkin.version>.*:\1:p' "$ROOT/pom.xml")
  jar=${ZIPKIN_JAR:-$ROOT/.dev/tools/zipkin-server-$version-exec.jar}
  if [ ! -s "$jar" ]; then
    # shellcheck disable=SC2086 # SHOAL_MVN_FLAGS is a list of flags, e.g. -o
    (cd "$ROOT" && mvn -q -B ${SHOAL_MVN_FLAGS:-} dependency:copy -Dartifact="io.zipkin:zipkin-server:$version:jar:exec" \
      -DoutputDirectory="$ROOT/.dev/tools") || die "cannot fetch Zipkin's server $version (mvn dependency:copy)"
  fi
  jre_rootfs "$WORK/zipkin" "$ZIPKIN_MODULES"
  mkdir -p "$WORK/zipkin/opt/zipkin"
  cp "$jar" "$WORK/zipkin/opt/zipkin/zipkin.jar"
  import_rootfs "$WORK/zipkin" "$PREFIX/zipkin:$TAG" "${JAVA_ENV[@]}" \
    'ENTRYPOINT ["/opt/java/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", "/opt/zipkin/zipkin.jar"]'
}

size_mib() { # size_mib IMAGE
  docker image inspect --format '{{.Size}}' "$1" | awk '{printf "%.1f", $1 / 1048576}'
}

build_shoal_images
build_etcd_image
build_prometheus_image
build_zipkin_image

too_big=()
for image in jre shoal "${PARTS[@]}" etcd prometheus zipkin; do
  size=$(size_mib "$PREFIX/$image:$TAG")
  printf '%-36s %8s MiB\n' "$PREFIX/$image:$TAG" "$size"
  if [[ " shoal ${PARTS[*]} " == *" $image "* ]] && awk -v s="$size" -v m="$MAX_MIB" 'BEGIN {exit !(s > m)}'; then
    too_big+=("$PREFIX/$image:$TAG")
  fi
done
[ ${#too_big[@]} -eq 0 ] || die "larger than $MAX_MIB MiB: ${too_big[*]}; drop a JRE module or a jar"
