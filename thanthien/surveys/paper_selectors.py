"""Reads for paper forms: the printed layout of a questionnaire and the lookup of a form number.

The layout numbers the questions of a campaign's questionnaire globally (Câu 1 … Câu N, in the
order of the definition, hidden or not), so the printed copy and the data-entry screen use the
same numbers, and writes the skip logic out in plain words for people filling in on paper.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from django.db.models.functions import Length
from django.utils.translation import gettext as _

from thanthien.core import tenancy
from thanthien.surveys.definitions import Condition, Question, Questionnaire
from thanthien.surveys.models import Campaign, PaperForm, Response
from thanthien.surveys.response_services import campaign_option_sources, campaign_questionnaire

#: Question types answered by ticking one numbered box (number keys on the entry screen).
ONE_BOX_TYPES = ("single", "likert")
NUMBER_DIGITS = 5


@dataclass(frozen=True)
class PaperOption:
    number: int
    value: str
    label: str


@dataclass
class PaperQuestion:
    """One question as printed and as typed in: its global number, boxes and instructions."""

    number: int
    question: Question
    text: str
    help: str
    options: list[PaperOption]
    # "choose" (tick one box), "multiple" (tick several), "select" (write in on paper, a list
    # on screen), "number", "text".
    kind: str
    unit: str = ""
    section_title: str = ""
    section_note: str = ""
    only_if: str = ""
    skips: list[str] = field(default_factory=list)
    conditions: list[dict] = field(default_factory=list)

    @property
    def field_name(self) -> str:
        return f"q-{self.question.id}"

    @property
    def conditions_json(self) -> str:
        return json.dumps(self.conditions, ensure_ascii=False)


def form_number(campaign: Campaign, sequence: int) -> str:
    """The number printed on a copy: "<public code>-00001"."""
    return f"{campaign.public_code}-{sequence:0{NUMBER_DIGITS}d}"


def last_sequence(campaign: Campaign) -> int:
    """The highest sequence printed for the campaign so far (0 before the first copy)."""
    prefix = f"{campaign.public_code}-"
    last = (
        PaperForm.objects.filter(campaign=campaign, number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    if last is None:
        return 0
    tail = last[len(prefix) :]
    return int(tail) if tail.isdigit() else 0


def campaigns_for_paper(user):
    """Campaigns the user may print or enter paper forms for (their communes, paper channel)."""
    return Campaign.objects.visible_to(user).select_related("commune")


def paper_forms_printed(*, campaign: Campaign, first_pk: int, last_pk: int, limit: int):
    """The copies of one print run, in number order."""
    return list(
        PaperForm.objects.filter(campaign=campaign, pk__gte=first_pk, pk__lte=last_pk)
        .select_related("hamlet")
        .order_by("pk")[:limit]
    )


def normalise_number(campaign: Campaign, raw: str) -> str:
    """What an official typed into the number box, as a form number.

    Accepts the full number, just its sequence ("12" or "00012" for this campaign), or the
    text of the copy's QR code read by a scanner (a link carrying ``?phieu=<number>``).
    """
    text = (raw or "").strip()
    if "phieu=" in text:
        found = parse_qs(urlparse(text).query).get("phieu")
        if found:
            text = found[0].strip()
    if text.isdigit() and len(text) <= NUMBER_DIGITS + 2:
        return form_number(campaign, int(text))
    return text


def paper_form_lookup(*, user, campaign: Campaign, raw_number: str) -> tuple[PaperForm | None, str]:
    """The paper form a typed number names, or None and a message saying why not."""
    number = normalise_number(campaign, raw_number)
    if not number:
        return None, _("Hãy nhập số phiếu in trên tờ phiếu.")
    form = (
        PaperForm.objects.select_related("campaign", "hamlet")
        .filter(number__iexact=number)
        .only(
            "pk", "number", "commune_id", "campaign_id", "hamlet", "campaign__title", "printed_at"
        )
        .first()
    )
    if form is None:
        return None, _("Không có phiếu số %(number)s. Xin kiểm tra lại số in trên phiếu.") % {
            "number": number
        }
    if not tenancy.can_see_commune(user, form.commune_id):
        return None, _("Phiếu số %(number)s không phải phiếu của xã mình.") % {"number": number}
    if form.campaign_id != campaign.pk:
        return None, _(
            "Phiếu số %(number)s thuộc đợt khảo sát “%(title)s”, không phải đợt đang nhập."
        ) % {"number": number, "title": form.campaign.title}
    entered = (
        Response.objects.filter(paper_form=form)
        .select_related("entered_by")
        .only("pk", "created_at", "entered_by__full_name", "entered_by__username")
        .first()
    )
    if entered is not None:
        return None, already_entered_message(form.number, entered)
    return form, ""


def already_entered_message(number: str, response: Response) -> str:
    from thanthien.onestop.dossier_selectors import LOCAL_TZ

    who = response.entered_by
    name = (getattr(who, "full_name", "") or getattr(who, "username", "")) if who else "—"
    return _(
        "Phiếu số %(number)s đã được %(name)s nhập lúc %(when)s; mỗi phiếu chỉ nhập một lần."
    ) % {
        "number": number,
        "name": name,
        "when": response.created_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y"),
    }


# ---------------------------------------------------------------------------------------------
# The printed layout


def _label(question: Question, value: Any, options: dict[str, list[PaperOption]]) -> str:
    for option in options.get(question.id, []):
        if option.value == str(value):
            return f"{option.number}. {option.label}"
    return str(value)


def _condition_words(
    condition: Condition, numbers: dict[str, int], questions: dict[str, Question], options
) -> str:
    if condition.op in ("all", "any"):
        joiner = _(" và ") if condition.op == "all" else _(" hoặc ")
        return joiner.join(
            _condition_words(child, numbers, questions, options) for child in condition.children
        )
    if condition.op == "not":
        return _("không phải trường hợp: %(condition)s") % {
            "condition": _condition_words(condition.children[0], numbers, questions, options)
        }
    number = numbers[condition.question]
    if condition.op == "answered":
        if condition.answered:
            return _("câu %(number)s có trả lời") % {"number": number}
        return _("câu %(number)s để trống") % {"number": number}
    question = questions[condition.question]
    answers = _(" hoặc ").join(
        f"“{_label(question, value, options)}”" for value in condition.values
    )
    return _("ở câu %(number)s trả lời %(answers)s") % {"number": number, "answers": answers}


def _condition_data(condition: Condition) -> dict:
    """The condition for the entry screen's script (values as strings, like form fields)."""
    if condition.op in ("all", "any", "not"):
        return {"op": condition.op, "children": [_condition_data(c) for c in condition.children]}
    return {
        "op": condition.op,
        "question": f"q-{condition.question}",
        "values": [str(value) for value in condition.values],
        "answered": condition.answered,
    }


def _options(question: Question, sources, language: str) -> tuple[str, list[PaperOption]]:
    if question.type == "likert":
        labels = question.scale.labels
        return "choose", [
            PaperOption(point, str(point), labels[point - 1].get(language))
            for point in range(1, question.scale.points + 1)
        ]
    if question.type in ("single", "multiple"):
        if question.options_from:
            pairs = sources.get(question.options_from, [])
            if question.options_from == "procedures":
                # Too many to print: written in on paper, chosen from a list on screen.
                return "select", [
                    PaperOption(i, value, label) for i, (value, label) in enumerate(pairs, 1)
                ]
            return "choose", [
                PaperOption(i, value, label) for i, (value, label) in enumerate(pairs, 1)
            ]
        kind = "choose" if question.type == "single" else "multiple"
        return kind, [
            PaperOption(i, option.value, option.label.get(language))
            for i, option in enumerate(question.options, 1)
        ]
    return question.type, []


def _simple_test(conditions: list[Condition]) -> Condition | None:
    """The one "answer of question X is in …" test a question depends on, if that is all."""
    if len(conditions) == 1 and conditions[0].op == "in":
        return conditions[0]
    return None


def paper_layout(campaign: Campaign, *, language: str = "vi") -> list[PaperQuestion]:
    """Every question of the campaign's questionnaire, numbered, with boxes and instructions.

    Two queries (the hamlets and procedures a campaign supplies as options).
    """
    questionnaire: Questionnaire = campaign_questionnaire(campaign)
    sources = campaign_option_sources(campaign)
    numbers = {question.id: n for n, question in enumerate(questionnaire.questions, 1)}
    questions = {question.id: question for question in questionnaire.questions}
    options: dict[str, list[PaperOption]] = {}
    layout: list[PaperQuestion] = []
    tests: list[list[Condition]] = []
    for section in questionnaire.sections:
        for position, question in enumerate(section.questions):
            kind, question_options = _options(question, sources, language)
            options[question.id] = question_options
            conditions = [c for c in (section.show_if, question.show_if) if c is not None]
            tests.append(conditions)
            item = PaperQuestion(
                number=numbers[question.id],
                question=question,
                text=question.text.get(language),
                help=question.help.get(language) if question.help else "",
                options=question_options,
                kind=kind,
                unit=question.unit.get(language) if question.unit else "",
                conditions=[_condition_data(c) for c in conditions],
            )
            if position == 0:
                item.section_title = section.title.get(language)
                if section.show_if is not None:
                    item.section_note = _("Chỉ trả lời phần này nếu %(condition)s.") % {
                        "condition": _condition_words(section.show_if, numbers, questions, options)
                    }
            if question.show_if is not None:
                item.only_if = _("Chỉ trả lời câu này nếu %(condition)s.") % {
                    "condition": _condition_words(question.show_if, numbers, questions, options)
                }
            layout.append(item)
    _add_skips(layout, tests)
    return layout


def _add_skips(layout: list[PaperQuestion], tests: list[list[Condition]]) -> None:
    """ "Nếu trả lời … ở câu 7, chuyển sang câu 10": for each box of a one-box question, the
    run of questions right after it that only apply to other answers of that question."""
    for index, item in enumerate(layout):
        if item.question.type not in ONE_BOX_TYPES or item.kind != "choose":
            continue
        for option in item.options:
            end = index + 1
            while end < len(layout):
                test = _simple_test(tests[end])
                if test is None or test.question != item.question.id:
                    break
                if option.value in {str(value) for value in test.values}:
                    break
                end += 1
            if end == index + 1:
                continue
            if end < len(layout):
                item.skips.append(
                    _("Nếu trả lời “%(answer)s” ở câu %(number)s, chuyển sang câu %(next)s.")
                    % {"answer": option.label, "number": item.number, "next": layout[end].number}
                )
            else:
                item.skips.append(
                    _("Nếu trả lời “%(answer)s” ở câu %(number)s, phiếu kết thúc ở đây.")
                    % {"answer": option.label, "number": item.number}
                )
