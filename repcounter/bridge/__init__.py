"""The MQTT -> InfluxDB bridge: subscribe, validate, write points, acknowledge only what is stored."""
