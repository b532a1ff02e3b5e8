#!/bin/sh
# Runs `repcounter bridge` from the environment (docker-compose.yml / .env); extra arguments are passed on.
#
#   MQTT_HOST (default mosquitto), MQTT_PORT_INTERNAL (default 1883), MQTT_BRIDGE_USER, MQTT_BRIDGE_PASSWORD,
#   MQTT_PREFIX (default repcounter), BRIDGE_CLIENT_ID (stable id: the broker keeps the bridge's queue across
#   restarts; default repcounter-bridge-1), INFLUX_URL, INFLUX_ORG, INFLUX_BUCKET, and the write token in
#   INFLUX_TOKEN or in the file INFLUX_TOKEN_FILE (written by docker/influxdb/init.sh),
#   BRIDGE_HEALTH_FILE (default /var/lib/repcounter/bridge-health.json, read by the compose healthcheck
#   `repcounter bridge-health`; empty = no health file).
# User names and passwords must be URL-safe (letters, digits, - _ . ~).
set -eu

die() { echo "bridge-entrypoint: $*" >&2; exit 2; }
if [ -z "${INFLUX_TOKEN:-}" ]; then
  [ -n "${INFLUX_TOKEN_FILE:-}" ] || die "set INFLUX_TOKEN or INFLUX_TOKEN_FILE"
  [ -s "$INFLUX_TOKEN_FILE" ] || die "token file $INFLUX_TOKEN_FILE is missing or empty (did influxdb-init run?)"
  INFLUX_TOKEN=$(cat "$INFLUX_TOKEN_FILE")
fi
export INFLUX_TOKEN
: "${MQTT_BRIDGE_USER:?MQTT_BRIDGE_USER is not set}"
: "${MQTT_BRIDGE_PASSWORD:?MQTT_BRIDGE_PASSWORD is not set}"
: "${INFLUX_URL:?INFLUX_URL is not set}"
: "${INFLUX_ORG:?INFLUX_ORG is not set}"
: "${INFLUX_BUCKET:?INFLUX_BUCKET is not set}"
export INFLUX_ORG INFLUX_BUCKET
health_file=${BRIDGE_HEALTH_FILE-/var/lib/repcounter/bridge-health.json}
if [ -n "$health_file" ]; then
  set -- --health-file "$health_file" "$@"
fi

exec repcounter bridge \
  --mqtt "mqtt://${MQTT_BRIDGE_USER}:${MQTT_BRIDGE_PASSWORD}@${MQTT_HOST:-mosquitto}:${MQTT_PORT_INTERNAL:-1883}" \
  --mqtt-prefix "${MQTT_PREFIX:-repcounter}" \
  --client-id "${BRIDGE_CLIENT_ID:-repcounter-bridge-1}" \
  --influx-url "$INFLUX_URL" --influx-version "${INFLUX_VERSION:-2}" \
  "$@"
