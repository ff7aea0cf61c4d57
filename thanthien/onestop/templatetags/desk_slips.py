"""The list of a dossier's printed forms on its page (titles from the form set in use)."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from thanthien.onestop.dossier_selectors import local_day
from thanthien.onestop.form_sets import current_set
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.onestop.slip_selectors import apologies_of

register = template.Library()


@dataclass(frozen=True)
class SlipLink:
    title: str
    print_url: str
    docx_url: str


def _link(title: str, name: str, docx_name: str, pk: int) -> SlipLink:
    return SlipLink(
        title=title,
        print_url=reverse(f"staff:{name}", kwargs={"pk": pk}),
        docx_url=reverse(f"staff:{docx_name}", kwargs={"pk": pk}),
    )


def _apology_label(title: str, apology: ApologySlip) -> str:
    if apology.state == ApologySlip.State.ISSUED and apology.number:
        return _("%(title)s số %(number)s") % {"title": title, "number": apology.number}
    return _("%(title)s (dự thảo)") % {"title": title}


@register.inclusion_tag("onestop/slips/_links.html", takes_context=True)
def dossier_slip_links(context, dossier: Dossier) -> dict:
    """Forms 01–05 of the dossier: the supplements come prefetched (dossier_for_page); the
    apology slips cost one query."""
    user = context["request"].user
    forms = current_set()
    links = [
        _link(forms.form("receipt").title, "dossier_receipt", "dossier_receipt_docx", dossier.pk),
        _link(
            forms.form("control").title,
            "dossier_control_slip",
            "dossier_control_slip_docx",
            dossier.pk,
        ),
    ]
    title = forms.form("supplement").title
    for supplement in dossier.supplements.all():
        label = _("%(title)s (%(day)s)") % {
            "title": title,
            "day": f"{local_day(supplement.requested_at):%d/%m/%Y}",
        }
        links.append(_link(label, "supplement_slip", "supplement_slip_docx", supplement.pk))
    if dossier.state == Dossier.State.REFUSED:
        links.append(
            _link(
                forms.form("refusal").title,
                "dossier_refusal_slip",
                "dossier_refusal_slip_docx",
                dossier.pk,
            )
        )
    if user.has_perm("onestop.view_apologyslip"):
        title = forms.form("apology").title
        for apology in apologies_of(user=user, dossier=dossier):
            links.append(
                _link(
                    _apology_label(title, apology), "apology_slip", "apology_slip_docx", apology.pk
                )
            )
    return {"links": links}
