"""Per-process memory for what every public page reads and seldom changes.

Under load the directory's search must answer in a few milliseconds; reading the county, its
sources, municipalities and social spaces anew for every request took a third of that. Entries
live for a minute. Any save or delete in this process forgets all of them at once, and again
when its transaction commits; other server processes follow within the minute.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TTL_SECONDS = 60.0
T = TypeVar("T")

_entries: dict[Hashable, tuple[float, object]] = {}
_lock = threading.Lock()


def remembered(key: Hashable, produce: Callable[[], T]) -> T:
    """The value kept under key, produced anew when missing or older than the TTL."""
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and now - entry[0] < TTL_SECONDS:
        return entry[1]  # type: ignore[return-value]
    value = produce()
    with _lock:
        _entries[key] = (now, value)
    return value


def forget() -> None:
    with _lock:
        _entries.clear()


def _on_change(**_kwargs) -> None:
    forget()
    # A request of another thread may read the old rows until the commit: forget again then.
    transaction.on_commit(forget)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"sozialplanung-memo-{signal}")
