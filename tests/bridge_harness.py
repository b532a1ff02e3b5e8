"""Bridge test helpers: a bridge on a real broker writing into a real influxd database."""

from __future__ import annotations

import uuid

from repcounter.bridge.service import Bridge
from repcounter.bridge.writers import InfluxTarget, make_writer
from repcounter.mqtt_url import parse_broker_url
from services import Influxd, Mosquitto, unique_db


def start_bridge(broker: Mosquitto, influxd: Influxd, db: str | None = None, create_db: bool = True,
                 client_id: str | None = None, share_group: str | None = None, **kw) -> Bridge:
    """A started bridge from ``broker`` (anonymous listener) into ``db`` on ``influxd`` (v1 API)."""
    db = db or unique_db()
    if create_db:
        influxd.create_database(db)
    target = kw.pop("target", None) or InfluxTarget(influxd.url, 1, db=db)
    bridge = Bridge(parse_broker_url(broker.url), make_writer(target), client_id=client_id or f"b-{uuid.uuid4().hex[:6]}",
                    share_group=share_group or f"g-{uuid.uuid4().hex[:6]}", max_backoff_s=0.5, **kw)
    bridge.db = db  # type: ignore[attr-defined]
    return bridge.start()
