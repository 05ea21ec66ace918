#!/bin/sh
# The compose stack's first step (deploy/compose.yml, service "pki"): the cluster key, a new CA and
# every part's certificate, into the volume mounted at /pki, as deploy/dev.sh makes its PKI with
# `shoal-control ca issue-batch`. Runs once per volume: a later `up` keeps what is there.
set -eu

if [ -s /pki/.complete ]; then
  echo "pki: /pki already holds the stack's CA and certificates"
  exit 0
fi
rm -rf /pki/* /pki/.complete
(umask 077 && head -c 32 /dev/urandom | base64 >/pki/cluster.key)
# Every part checks the chain and the role, not the address; etcd's clients check its address.
shoal-control ca issue-batch --init --pki-dir /pki/ca --cluster-key-file /pki/cluster.key - <<PLAN
--role manager --name etcd --ip 127.0.0.1 --dns localhost --out /pki/etcd
--role manager --name control --ip 127.0.0.1 --out /pki/control
--role manager --name registry --ip 127.0.0.1 --out /pki/registry
--role manager --name scheduler --ip 127.0.0.1 --out /pki/scheduler
--role manager --name dispatcher --ip 127.0.0.1 --out /pki/dispatcher
--role manager --name mesh-proxy --out /pki/mesh-proxy
--role manager --name prometheus --out /pki/prometheus
--role manager --name admin --out /pki/cli
PLAN
touch /pki/.complete
echo "pki: made the CA and the certificates of etcd, control, registry, scheduler, dispatcher, mesh-proxy, prometheus and cli"
