#!/usr/bin/env bash
# Generates Shoal's API clients from proto/src/main/proto/shoal/v1/*.proto (issue #17):
#
#   clients/python/gen/       Python: protoc's --python_out/--pyi_out and grpc_python_plugin's
#                             --grpc_python_out, Debian's protobuf-compiler(-grpc); it runs on
#                             Debian's /usr/bin/python3 with python3-grpcio and python3-protobuf
#   clients/typescript/gen/   TypeScript: @bufbuild/protoc-gen-es (package-lock.json) run by buf;
#                             then tsc compiles it with smoke.ts into clients/typescript/dist/
#
# Nothing generated is committed: run this after a change to the protos (the e2e test
# OtherLanguageClientsIT runs it). Each part is redone only when its inputs changed (a stamp
# holds their digest), so a run with nothing to do takes well under a second. Missing Debian
# packages are installed when run as root.
set -euo pipefail

CLIENTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$CLIENTS")"
PROTO_DIR="$ROOT/proto/src/main/proto"
PY="$CLIENTS/python"
TS="$CLIENTS/typescript"
BUF="@bufbuild/buf@1.75.0" # as deploy/dev.sh's `buf lint`
DEBIAN_PACKAGES=(protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf)
# Debian's Python: the first python3 on the PATH may be another build without Debian's
# dist-packages, where grpcio and protobuf are.
PYTHON=/usr/bin/python3
GRPC_PYTHON_PLUGIN=/usr/bin/grpc_python_plugin # protobuf-compiler-grpc's

say() { printf '==> %s\n' "$*"; }
die() { printf 'clients/generate.sh: %s\n' "$*" >&2; exit 1; }

# digest FILE... -- TEXT...: one sha256 over the files (paths from the repo root) and the texts
digest() {
  local files=() texts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
  [ $# -eq 0 ] || shift
  texts=("$@")
  { (cd "$ROOT" && sha256sum "${files[@]}"); printf '%s\n' "${texts[@]}"; } | sha256sum | cut -c1-64
}

# up_to_date STAMP WANT: whether STAMP holds WANT
up_to_date() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# debian_versions: "PACKAGE VERSION" of each of DEBIAN_PACKAGES that is installed
debian_versions() {
  # dpkg-query fails when one was never installed; the others are still listed
  { dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' "${DEBIAN_PACKAGES[@]}" 2>/dev/null || true; } |
    awk '$1 == "ii" { print $2, $3 }'
}

ensure_debian_packages() {
  local installed missing=() p
  installed=$(debian_versions)
  for p in "${DEBIAN_PACKAGES[@]}"; do
    grep -q "^$p " <<<"$installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] ||
    die "missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_node() {
  local tool major
  for tool in node npm npx; do
    command -v "$tool" >/dev/null || die "needs Node.js 20 or later with npm: no $tool (deploy/dev.sh up or test installs npm)"
  done
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "needs Node.js 20 or later, found $(node --version)"
}

# The protos, as protoc names them (relative to PROTO_DIR), and as paths from the repo root.
mapfile -t PROTOS < <(cd "$PROTO_DIR" && find shoal -name '*.proto' | LC_ALL=C sort)
[ ${#PROTOS[@]} -gt 0 ] || die "no .proto files under $PROTO_DIR"
PROTO_PATHS=("${PROTOS[@]/#/proto/src/main/proto/}")

python_client() {
  local out="$PY/gen" want modules
  want=$(digest "${PROTO_PATHS[@]}" clients/generate.sh -- "$(debian_versions)")
  if up_to_date "$out/.stamp" "$want"; then
    say "python client: up to date ($out)"
    return
  fi
  say "python client: protoc $(protoc --version | awk '{print $2}'), grpc_python_plugin into $out"
  rm -rf "$out"
  mkdir -p "$out"
  protoc -I "$PROTO_DIR" --plugin=protoc-gen-grpc_python="$GRPC_PYTHON_PLUGIN" \
    --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" "${PROTOS[@]}"
  # Every generated module must import on Debian's runtime (-I: no PYTHONPATH, no user site).
  modules=$(printf '%s\n' "${PROTOS[@]}" | sed 's/\.proto$//; s#/#.#g' | awk '{print $0 "_pb2"; print $0 "_pb2_grpc"}' | paste -sd,)
  "$PYTHON" -I - "$out" "$modules" <<'EOF' || die "the generated Python client does not import with $PYTHON"
import importlib, sys
sys.path.insert(0, sys.argv[1])
for module in sys.argv[2].split(","):
    importlib.import_module(module)
import grpc, google.protobuf
print("    imports on Python %s, grpcio %s, protobuf %s" % (sys.version.split()[0], grpc.__version__, google.protobuf.__version__))
EOF
  echo "$want" >"$out/.stamp"
}

typescript_client() {
  local lock want built
  lock=$(digest clients/typescript/package-lock.json -- "node $(node --version)")
  if ! up_to_date "$TS/node_modules/.shoal-stamp" "$lock"; then
    say "typescript client: npm ci"
    (cd "$TS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$lock" >"$TS/node_modules/.shoal-stamp"
  fi
  want=$(digest "${PROTO_PATHS[@]}" proto/buf.yaml clients/typescript/buf.gen.yaml \
    clients/typescript/package-lock.json clients/generate.sh -- "$lock")
  if up_to_date "$TS/gen/.stamp" "$want"; then
    say "typescript client: up to date ($TS/gen)"
  else
    say "typescript client: buf generate (protoc-gen-es $(node -p 'require(process.argv[1]).version' "$TS/node_modules/@bufbuild/protoc-gen-es/package.json")) into $TS/gen"
    (cd "$TS" && npx --yes "$BUF" generate)
    echo "$want" >"$TS/gen/.stamp"
  fi
  # tsc type-checks the generated code and the smoke program against each other.
  built=$(digest clients/typescript/smoke.ts clients/typescript/tsconfig.json -- "$want")
  if up_to_date "$TS/dist/.stamp" "$built"; then
    say "typescript client: compiled ($TS/dist)"
    return
  fi
  say "typescript client: tsc into $TS/dist"
  rm -rf "$TS/dist"
  (cd "$TS" && node_modules/.bin/tsc -p .)
  echo "$built" >"$TS/dist/.stamp"
}

ensure_debian_packages
ensure_node
python_client
typescript_client
