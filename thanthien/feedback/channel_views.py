"""Staff page of the feedback channels: which accounts are connected and what each webhook
call became (accepted, duplicate, ignored, refused)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from thanthien.core.staff import require_perm, staff_required
from thanthien.feedback import channel_selectors as selectors
from thanthien.feedback.items import ChannelAccount, InboundLog, Source
from thanthien.onestop.selectors import public_url

PAGE_SIZE = 50
WEBHOOK_NAMES = {
    ChannelAccount.Platform.ZALO: "feedback:zalo_webhook",
    ChannelAccount.Platform.FACEBOOK: "feedback:facebook_webhook",
}


@staff_required()
def channel_log(request):
    require_perm(request.user, "feedback.view_inboundlog")
    source = request.GET.get("source", "")
    outcome = request.GET.get("outcome", "")
    query = request.GET.get("q", "").strip()[:200]
    rows = selectors.inbound_logs(user=request.user, source=source, outcome=outcome, query=query)
    accounts = [
        {
            "account": account,
            # On the public host: the address the platform must call, not the staff host's.
            "webhook_url": public_url(reverse(WEBHOOK_NAMES[account.platform]), request=request),
        }
        for account in selectors.channel_accounts(user=request.user)
    ]
    context = {
        "accounts": accounts,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "source": source,
        "outcome": outcome,
        "query": query,
        "sources": [(s.value, s.label) for s in Source if s in selectors.PLATFORM_SOURCES],
        "outcomes": InboundLog.Outcome.choices,
    }
    return render(request, "feedback/channels/log.html", context)
