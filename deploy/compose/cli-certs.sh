#!/usr/bin/env bash
# Copies the compose stack's admin certificate (the CLI's: ca.pem, cert.pem, key.pem) out of its
# pki volume into DIR (default ~/.config/shoal/compose-certs) and prints DIR, for SHOAL_CERT_PATH:
#   export SHOAL_CERT_PATH=$(deploy/compose/cli-certs.sh)
# COMPOSE_PROJECT_NAME / -p: the stack's project (default: deploy, compose.yml's directory).
set -euo pipefail

DIR=${1:-${XDG_CONFIG_HOME:-$HOME/.config}/shoal/compose-certs}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
container=$(docker-compose -f "$ROOT/deploy/compose.yml" ps -q control)
[ -n "$container" ] || { echo "cli-certs.sh: the stack's control is not running; start it: docker-compose -f deploy/compose.yml up -d" >&2; exit 1; }
mkdir -p "$DIR" && chmod 700 "$DIR"
docker cp "$container:/pki/cli/." "$DIR"
echo "$DIR"
