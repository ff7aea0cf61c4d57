"""Reads for the channels page: the commune's Zalo OA / Facebook Page accounts and the log of
webhook calls, scoped to the communes the user sees."""

from django.db.models import Q, QuerySet

from thanthien.core import tenancy
from thanthien.feedback.items import ChannelAccount, InboundLog, Source

PLATFORM_SOURCES = (Source.ZALO, Source.FACEBOOK, Source.EMAIL)


def channel_accounts(*, user) -> QuerySet[ChannelAccount]:
    return tenancy.scope(
        ChannelAccount.objects.select_related("commune").order_by("commune__name", "platform"),
        user,
    )


def inbound_logs(*, user, source: str = "", outcome: str = "", query: str = "") -> QuerySet:
    """The log, newest first, filtered; one query per page whatever the number of rows."""
    rows = tenancy.scope(
        InboundLog.objects.select_related("commune", "item").order_by("-created_at", "-pk"), user
    )
    if source in Source.values:
        rows = rows.filter(source=source)
    if outcome in InboundLog.Outcome.values:
        rows = rows.filter(outcome=outcome)
    if query:
        rows = rows.filter(Q(external_id=query) | Q(item__code__iexact=query))
    return rows
