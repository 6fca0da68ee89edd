"""How the journal writes moments as text: now, to the microsecond, and schedules, to the second.

Both are ISO 8601 in UTC, so that they sort as text and read back with `parse_time`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from directcall_nb.moments import BRAZIL_TIME

__all__ = ["parse_time", "schedule_text", "utc_now_text"]


def utc_now_text() -> str:
    """Return now, as the journal writes times: ISO 8601 in UTC to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """Read a time written by `utc_now_text` or `schedule_text`."""
    return datetime.fromisoformat(text)


def schedule_text(schedule: datetime | None) -> str | None:
    """Write a schedule as ISO 8601 in UTC, to the second (``cron`` has no finer unit).

    A naive datetime is Brasília time, as DirectCall reads it.
    """
    if schedule is None:
        return None
    if not isinstance(schedule, datetime) or schedule != schedule:  # NaT is a datetime
        raise TypeError(f"schedule must be a datetime or None, not {schedule!r}")
    if schedule.tzinfo is None or schedule.utcoffset() is None:
        schedule = schedule.replace(tzinfo=BRAZIL_TIME)
    utc = schedule.astimezone(UTC)  # rebuilt, so that a pandas Timestamp loses its nanoseconds
    return datetime(*utc.timetuple()[:6], tzinfo=UTC).isoformat()
