"""Reads of the procedure catalogue that the portal, the staff pages and exports share."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thanthien.core import tenancy
from thanthien.core.text import fold
from thanthien.onestop.models import Procedure, ProcedureField, RequiredDocument
from thanthien.places.models import Commune


@dataclass(frozen=True)
class ProcedureCard:
    """A procedure with its fee and time limit as a resident reads them."""

    procedure: Procedure
    fee: str
    processing: str


def money(amount: int) -> str:
    """1000000 -> "1.000.000 đ"."""
    return _("%(amount)s đ") % {"amount": f"{amount:,}".replace(",", ".")}


def fee_text(procedure: Procedure) -> str:
    if procedure.fee_amount == 0:
        return _("Miễn phí")
    if procedure.fee_amount is None:
        return procedure.fee_note or _("Không quy định")
    return money(procedure.fee_amount)


def processing_text(procedure: Procedure) -> str:
    days = procedure.processing_days
    if days == 0:
        return _("Trong ngày")
    return ngettext("%(days)d ngày làm việc", "%(days)d ngày làm việc", days) % {"days": days}


def procedure_cards(procedures: Iterable[Procedure]) -> list[ProcedureCard]:
    return [
        ProcedureCard(procedure=p, fee=fee_text(p), processing=processing_text(p))
        for p in procedures
    ]


def _filtered(qs: QuerySet[Procedure], *, query: str, field_code: str) -> QuerySet[Procedure]:
    folded = fold(query)
    if folded:
        qs = qs.filter(Q(search_name__contains=folded) | Q(code__iexact=query.strip()))
    if field_code:
        qs = qs.filter(field__code=field_code)
    return qs


def _documents() -> Prefetch:
    return Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "pk"))


def procedure_public_list(
    *, commune: Commune, query: str = "", field_code: str = ""
) -> QuerySet[Procedure]:
    """The commune's active procedures matching a query that ignores diacritics and case."""
    # The commune comes along for get_absolute_url (its slug), one join instead of a query each.
    qs = Procedure.objects.filter(commune=commune, is_active=True).select_related(
        "field", "commune"
    )
    return _filtered(qs, query=query, field_code=field_code).order_by(
        "field__order", "field__name", "name", "pk"
    )


def procedure_public_detail(*, commune: Commune, code: str) -> Procedure | None:
    """One active procedure with its field and documents (two queries), or None."""
    return (
        Procedure.objects.filter(commune=commune, code=code, is_active=True)
        .select_related("field", "commune")
        .prefetch_related(_documents())
        .first()
    )


def procedure_print_list(*, commune: Commune) -> list[Procedure]:
    """Every active procedure with its documents, for the sheet posted at the desk."""
    return list(procedure_public_list(commune=commune).prefetch_related(_documents()))


def procedure_fields_in_use(*, commune: Commune) -> list[ProcedureField]:
    """The fields that have at least one active procedure in the commune (one query)."""
    return list(
        ProcedureField.objects.filter(
            procedures__commune=commune, procedures__is_active=True
        ).distinct()
    )


def procedure_staff_list(*, user, query: str = "", field_code: str = "") -> QuerySet[Procedure]:
    """The procedures of the user's communes, inactive ones included."""
    qs = Procedure.objects.visible_to(user).select_related("field", "commune")
    return _filtered(qs, query=query, field_code=field_code).order_by(
        "commune__name", "field__order", "name", "pk"
    )


def procedure_export_list(*, user, query: str = "", field_code: str = "") -> QuerySet[Procedure]:
    """The staff list with documents, for the spreadsheet export."""
    return procedure_staff_list(user=user, query=query, field_code=field_code).prefetch_related(
        _documents()
    )


def procedure_fields() -> QuerySet[ProcedureField]:
    return ProcedureField.objects.order_by("order", "name")


def shows_several_communes(user) -> bool:
    """True when the user's lists mix communes, so they need a commune column."""
    ids = tenancy.visible_commune_ids(user)
    return ids is None or len(ids) > 1


def procedure_public_url(procedure: Procedure, *, request) -> str:
    """The absolute address of the procedure's public page, as its QR code should open it."""
    return public_url(procedure.get_absolute_url(), request=request)


def public_url(path: str, *, request) -> str:
    """The absolute address of a portal path, on the configured public host when there is one."""
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)
