"""Reads of the greetings: the staff list, the portal's current greetings, the exports.

`greeting_post_text` is the plain text posted on the commune's Zalo/Facebook page;
`broadcast_schedule` groups one greeting's loudspeaker slots by hamlet for the printed
script; `greetings_sent_count` is what the criteria scoring counts (approved greetings).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from thanthien.letters.greetings import BroadcastSlot, Greeting
from thanthien.places.models import Commune, Hamlet

# Facebook posts allow far more; a Zalo OA article's plain text is best kept short.
POST_SOFT_LIMIT = 2000


def greetings_for(*, user) -> QuerySet[Greeting]:
    """The greetings of the user's communes."""
    return Greeting.objects.visible_to(user).select_related("commune", "signer__position")


def greetings_current(*, commune: Commune, today: date) -> QuerySet[Greeting]:
    """Approved greetings the portal shows today (until a few days after the holiday)."""
    return (
        Greeting.objects.filter(
            commune=commune, state=Greeting.State.APPROVED, show_until__gte=today
        )
        .select_related("signer__position")
        .order_by("holiday_date", "pk")
    )


def signature_lines(greeting: Greeting) -> list[str]:
    if greeting.signer is None:
        return []
    title = greeting.signer.position.name if greeting.signer.position_id else ""
    return [line for line in (title, greeting.signer.full_name) if line]


def greeting_post_text(greeting: Greeting) -> str:
    """The post for the commune's Zalo/Facebook page: title, body, signature, plain text."""
    parts = [greeting.title.upper(), greeting.body.strip()]
    signature = signature_lines(greeting)
    if signature:
        parts.append("\n".join(signature))
    return "\n\n".join(parts).replace("\r\n", "\n")


@dataclass
class HamletSchedule:
    hamlet: Hamlet
    slots: list[BroadcastSlot] = field(default_factory=list)


def broadcast_schedule(greeting: Greeting) -> list[HamletSchedule]:
    """Each hamlet of the commune with its broadcast times (a hamlet may have none)."""
    hamlets = Hamlet.objects.filter(commune_id=greeting.commune_id).order_by("order", "name")
    rows = {hamlet.pk: HamletSchedule(hamlet=hamlet) for hamlet in hamlets}
    for slot in greeting.slots.order_by("date", "time"):
        if slot.hamlet_id in rows:
            rows[slot.hamlet_id].slots.append(slot)
    return list(rows.values())


def greetings_sent_count(*, commune_id: int, year: int) -> int:
    """Greetings approved (sent) for the holidays of `year`: counted by the criteria scoring."""
    return Greeting.objects.filter(
        commune_id=commune_id, year=year, state=Greeting.State.APPROVED
    ).count()
