"""The staff menu's count of apology slips waiting for a leader."""

from django import template

from thanthien.onestop.apology_selectors import apology_draft_count as count_drafts

register = template.Library()


@register.simple_tag(takes_context=True)
def apology_draft_count(context) -> int:
    """Draft slips of the user's communes; counted once per request."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_apology_draft_count", None)
    if cached is None:
        cached = count_drafts(user=user)
        if request is not None:
            request._apology_draft_count = cached
    return cached
