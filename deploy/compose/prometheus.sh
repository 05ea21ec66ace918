#!/bin/sh
# deploy/compose.yml, service "prometheus": deploy/prometheus's config for this stack (every
# target found through control), then Prometheus on 127.0.0.1.
set -eu

sed -e "s|@INTERVAL@|10s|; s|@REFRESH@|10s|; s|@RULES@|/etc/shoal-prometheus/rules.yml|" \
  -e "s|@CERTS@|/pki/prometheus|g; s|@CONTROL_METRICS@|127.0.0.1:$CONTROL_METRICS_PORT|g" \
  /etc/shoal-prometheus/prometheus.yml.template >/prometheus/prometheus.yml
exec prometheus --config.file=/prometheus/prometheus.yml --storage.tsdb.path=/prometheus/data \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn
