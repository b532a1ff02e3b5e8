#!/bin/sh
# Mosquitto for repcounter: authentication on, no anonymous access.
#
# At first start (no password file yet) it makes the password file from the environment (.env):
#   MQTT_GATEWAY_USER / MQTT_GATEWAY_PASSWORD  the gateway (publishes <prefix>/#)
#   MQTT_BRIDGE_USER  / MQTT_BRIDGE_PASSWORD   the bridge (reads <prefix>/#, writes the dead-letter topic)
# and writes the ACL and the broker configuration on every start, then runs mosquitto in the foreground.
# To change a password later: docker compose exec mosquitto mosquitto_passwd -b /mosquitto/data/passwd USER PASS
# (then docker compose restart mosquitto), or delete /mosquitto/data/passwd and restart.
#
# Optional: MQTT_PREFIX (topic prefix, default repcounter), MQTT_LISTEN_PORT (default 1883),
# MQTT_DATA_DIR (default /mosquitto/data), MQTT_RUN_AS (user the broker drops to, default mosquitto).
set -eu

data=${MQTT_DATA_DIR:-/mosquitto/data}
prefix=${MQTT_PREFIX:-repcounter}
port=${MQTT_LISTEN_PORT:-1883}
run_as=${MQTT_RUN_AS:-mosquitto}
passwd="$data/passwd"
acl="$data/acl"
conf="$data/mosquitto.conf"

die() { echo "mosquitto-entrypoint: $*" >&2; exit 2; }

for v in MQTT_GATEWAY_USER MQTT_GATEWAY_PASSWORD MQTT_BRIDGE_USER MQTT_BRIDGE_PASSWORD; do
  eval "val=\${$v:-}"
  [ -n "$val" ] || die "$v is not set (copy .env.example to .env and fill it in)"
done
[ "$MQTT_GATEWAY_USER" != "$MQTT_BRIDGE_USER" ] || die "MQTT_GATEWAY_USER and MQTT_BRIDGE_USER must differ"
case "$prefix" in *[#+]*|"") die "MQTT_PREFIX '$prefix' must not be empty or contain + or #";; esac

mkdir -p "$data"
umask 077
if [ ! -s "$passwd" ]; then
  tmp="$passwd.new"
  : > "$tmp"
  mosquitto_passwd -b "$tmp" "$MQTT_GATEWAY_USER" "$MQTT_GATEWAY_PASSWORD"
  mosquitto_passwd -b "$tmp" "$MQTT_BRIDGE_USER" "$MQTT_BRIDGE_PASSWORD"
  mv "$tmp" "$passwd"
  echo "mosquitto-entrypoint: created $passwd for users $MQTT_GATEWAY_USER and $MQTT_BRIDGE_USER"
fi

cat > "$acl" <<ACL
# written by entrypoint.sh at every start
user $MQTT_GATEWAY_USER
topic readwrite $prefix/#

user $MQTT_BRIDGE_USER
topic read $prefix/#
topic write $prefix/deadletter
topic write $prefix/deadletter/#
ACL

cat > "$conf" <<CONF
# written by entrypoint.sh at every start
user $run_as
per_listener_settings false
allow_anonymous false
password_file $passwd
acl_file $acl
listener $port
persistence true
persistence_location $data/
autosave_interval 30
# room for a long broker-side queue while the bridge or InfluxDB is away
max_queued_messages 100000
max_inflight_messages 100
log_dest stdout
log_type error
log_type warning
log_type notice
log_type information
CONF

if id "$run_as" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  chown -R "$run_as" "$data"
fi
exec mosquitto -c "$conf"
