"""Periodic signed checkpoints for the embedded server (cron can run `passage audit checkpoint` instead)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from audit import chain, signing
from audit.services import checkpoint_write

logger = logging.getLogger("passage.audit")


def start_checkpoint_thread(interval_s: int) -> threading.Thread | None:
    if interval_s <= 0:
        return None
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval_s):
            try:
                path, checkpoint = checkpoint_write()
                logger.info("audit checkpoint of %s entries written to %s", checkpoint.size, path)
            except (chain.CheckpointError, signing.SigningKeyError, OSError) as exc:
                logger.error("audit checkpoint failed: %s", exc)
            except Exception:  # a database outage must not end the checkpoints for good
                logger.exception("audit checkpoint failed")
            finally:
                close_old_connections()

    thread = threading.Thread(target=run, name="audit-checkpoints", daemon=True)
    thread.start()
    return thread
