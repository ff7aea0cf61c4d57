"""Calendar months for dashboards: the months of a period, and the month of a moment."""

from datetime import date, datetime, timedelta

from thanthien.core.workdays import LOCAL_TZ


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from start's month to end's month, inclusive."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def month_of(value: date | datetime) -> date:
    """The first day of the local (Vietnam) month of a date or an aware datetime."""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ) if value.tzinfo else value
        return value.date().replace(day=1)
    return value.replace(day=1)
