"""Numbers on pages as Vietnamese readers expect them: {{ n|count }} -> 1.234,
{{ share|percent }} -> 33,3% (English: 1,234 and 33.3%)."""

from django import template

from thanthien.core.charts import format_count, format_percent

register = template.Library()


@register.filter
def count(value) -> str:
    if value in (None, ""):
        return ""
    return format_count(value)


@register.filter
def percent(value) -> str:
    """A 0–100 number with one decimal and the % sign."""
    if value in (None, ""):
        return ""
    return format_percent(float(value))
