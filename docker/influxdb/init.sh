#!/bin/sh
# One-shot setup of InfluxDB 2 for repcounter (the `influxdb-init` service in docker-compose.yml; it runs after
# `influxdb` is healthy, i.e. after the image's own first-start setup made the org, the bucket, the admin
# user and the admin token from .env). Idempotent: safe to run at every `docker compose up`.
#
# It makes:
#   * the DBRP mapping  database "$INFLUXDB_BUCKET" / retention policy "autogen" -> the bucket, so InfluxQL
#     (Grafana's dashboards) can query the bucket through the v1 compatibility API;
#   * a write-only token for the bridge  -> $TOKENS_DIR/bridge.token
#   * a read-only token for Grafana      -> $TOKENS_DIR/grafana.token
# A token file is kept as long as InfluxDB still knows the token; otherwise a new token is made.
#
# Environment: INFLUX_HOST (e.g. http://influxdb:8086), INFLUXDB_ADMIN_TOKEN, INFLUXDB_ORG, INFLUXDB_BUCKET,
# TOKENS_DIR (default /var/lib/repcounter-tokens).
set -eu

die() { echo "influxdb-init: $*" >&2; exit 2; }
: "${INFLUX_HOST:?INFLUX_HOST is not set}"
: "${INFLUXDB_ADMIN_TOKEN:?INFLUXDB_ADMIN_TOKEN is not set (copy .env.example to .env)}"
: "${INFLUXDB_ORG:?INFLUXDB_ORG is not set}"
: "${INFLUXDB_BUCKET:?INFLUXDB_BUCKET is not set}"
tokens=${TOKENS_DIR:-/var/lib/repcounter-tokens}
export INFLUX_HOST
export INFLUX_TOKEN="$INFLUXDB_ADMIN_TOKEN"
export INFLUX_ORG="$INFLUXDB_ORG"

# JSON field from `influx ... --json` output (first occurrence), without jq.
json_field() { sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" | head -n 1; }

bucket_id=$(influx bucket list --name "$INFLUXDB_BUCKET" --json | json_field id)
[ -n "$bucket_id" ] || die "bucket '$INFLUXDB_BUCKET' not found in org '$INFLUXDB_ORG'"
echo "influxdb-init: bucket $INFLUXDB_BUCKET = $bucket_id"

# DBRP mapping for InfluxQL: database = bucket name, retention policy autogen.
if influx v1 dbrp list --db "$INFLUXDB_BUCKET" --json | grep -q "\"bucketID\": *\"$bucket_id\""; then
  echo "influxdb-init: DBRP mapping $INFLUXDB_BUCKET/autogen exists"
else
  influx v1 dbrp create --db "$INFLUXDB_BUCKET" --rp autogen --bucket-id "$bucket_id" --default >/dev/null
  echo "influxdb-init: created DBRP mapping $INFLUXDB_BUCKET/autogen -> $bucket_id"
fi

mkdir -p "$tokens"
known_tokens=$(influx auth list --json)

# make_token FILE DESCRIPTION PERMISSION_FLAG
make_token() {
  file="$tokens/$1"
  if [ -s "$file" ] && printf '%s' "$known_tokens" | grep -q "\"token\": *\"$(cat "$file")\""; then
    echo "influxdb-init: $1 is still valid"
    return
  fi
  token=$(influx auth create --description "$2" "$3" "$bucket_id" --json | json_field token)
  [ -n "$token" ] || die "could not create the token for $1"
  umask 022
  printf '%s' "$token" > "$file.new"
  chmod 0644 "$file.new"
  mv "$file.new" "$file"
  echo "influxdb-init: wrote a new token to $file"
}

make_token bridge.token "repcounter bridge: write $INFLUXDB_BUCKET" --write-bucket
make_token grafana.token "repcounter grafana: read $INFLUXDB_BUCKET" --read-bucket
echo "influxdb-init: done"
