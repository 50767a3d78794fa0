"""The embedded server's alert task: `alerts_run` at start and then every interval (cron can run
`passage alerts run` instead)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from protection.alerts import alerts_run

logger = logging.getLogger("passage.alerts")


def alerts_tick() -> None:
    """One run; a failure is logged and the next tick tries again (counts only, never case content)."""
    try:
        summary = alerts_run(channel="server")
        logger.info(
            "alerts run: %s cases, %s opened, %s resolved, %s open",
            summary.cases,
            summary.opened,
            summary.resolved,
            summary.open,
        )
    except Exception:  # a database outage must not end the alert task for good
        logger.exception("alerts run failed")
    finally:
        close_old_connections()


def start_alerts_thread(interval_s: int, *, stop: threading.Event | None = None) -> threading.Thread | None:
    """Run the alerts now and every `interval_s` seconds in a daemon thread, until `stop` is set.
    `interval_s` 0 or less: no task."""
    if interval_s <= 0:
        return None
    stopping = stop or threading.Event()

    def run() -> None:
        alerts_tick()
        while not stopping.wait(interval_s):
            alerts_tick()

    thread = threading.Thread(target=run, name="alerts", daemon=True)
    thread.start()
    return thread
