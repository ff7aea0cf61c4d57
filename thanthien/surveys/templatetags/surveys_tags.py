from django import template

from thanthien.surveys.rating_links import rating_path

register = template.Library()


@register.simple_tag
def dossier_rating_path(code: str, channel: str = "") -> str:
    """The signed rating link of a dossier (/danh-gia/?ma=…&k=…)."""
    return rating_path(code, channel=channel)
