"""A questionnaire as an HTML form, without JavaScript: skip logic is applied on the server.

The page shows the questions visible for the answers so far. When the respondent sends it,
the answers are checked again: if they made new questions appear (e.g. "yes" to having given
feedback shows the feedback questions), the page comes back with those questions and a note,
and nothing is recorded yet. The response is recorded only when every visible question was on
the page the respondent saw (the ids of the shown questions travel in a hidden field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from thanthien.surveys.definitions import Question, Questionnaire, Text, clean_answers

FIELD_PREFIX = "q-"
SHOWN_FIELD = "shown"
#: Single choices with more options than this (hamlets, procedures) become a select.
SELECT_THRESHOLD = 8


def field_name(question_id: str) -> str:
    return f"{FIELD_PREFIX}{question_id}"


def read_answers(questionnaire: Questionnaire, data) -> dict[str, Any]:
    """Answers from POST data, by question id (empty answers left out)."""
    answers: dict[str, Any] = {}
    for question in questionnaire.questions:
        name = field_name(question.id)
        if question.type == "multiple":
            values = [v for v in data.getlist(name) if v.strip()]
            if values:
                answers[question.id] = values
        else:
            value = data.get(name, "")
            if value.strip():
                answers[question.id] = value
    return answers


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class QuestionView:
    id: str
    number: int
    type: str
    text: str
    help: str
    required: bool
    widget: str  # radio, select, checkbox, number, text
    name: str
    choices: list[Choice] = field(default_factory=list)
    value: str = ""
    unit: str = ""
    error: str = ""
    new: bool = False


@dataclass
class SectionView:
    id: str
    title: str
    description: str
    questions: list[QuestionView]


def _text(text: Text | None, language: str) -> str:
    return text.get(language) if text is not None else ""


def _choices(
    question: Question, answer: Any, sources: dict[str, list[tuple[str, str]]], language: str
) -> list[Choice]:
    chosen = {str(v) for v in answer} if isinstance(answer, list) else {str(answer)}
    if question.options_from:
        pairs = sources.get(question.options_from, [])
    elif question.type == "likert":
        pairs = [
            (str(point), _text(label, language))
            for point, label in enumerate(question.scale.labels, start=1)
        ]
        pairs.reverse()  # best first, as on the rating page
    else:
        pairs = [(option.value, _text(option.label, language)) for option in question.options]
    return [Choice(value=v, label=label, checked=v in chosen) for v, label in pairs]


def _widget(question: Question, choices: list[Choice]) -> str:
    if question.type == "multiple":
        return "checkbox"
    if question.type in ("single", "likert"):
        return "select" if len(choices) > SELECT_THRESHOLD else "radio"
    return question.type


@dataclass
class FormState:
    sections: list[SectionView]
    shown: list[str]
    errors: dict[str, str]
    values: dict[str, Any]
    new_questions: list[str]

    @property
    def complete(self) -> bool:
        """Nothing new appeared and nothing is wrong: ready to record."""
        return not self.errors and not self.new_questions


def build_form(
    questionnaire: Questionnaire,
    answers: dict[str, Any],
    *,
    sources: dict[str, list[tuple[str, str]]],
    previously_shown: list[str] | None = None,
    check_errors: bool = False,
) -> FormState:
    """The sections and questions visible for `answers`, with their current answers.

    With `previously_shown` (a submit), questions visible now but not shown before are
    marked new; with `check_errors`, errors are attached to the questions that were shown.
    """
    choices = {name: [value for value, _label in pairs] for name, pairs in sources.items()}
    check = clean_answers(questionnaire, answers, choices=choices)
    language = get_language() or "vi"
    visible = {question.id for question in check.visible}
    before = set(previously_shown or [])
    new = [q.id for q in check.visible if previously_shown is not None and q.id not in before]
    errors = (
        {qid: message for qid, message in check.errors.items() if qid in before}
        if check_errors
        else {}
    )
    sections: list[SectionView] = []
    number = 0
    for section in questionnaire.sections:
        views = []
        for question in section.questions:
            if question.id not in visible:
                continue
            number += 1
            answer = answers.get(question.id)
            options = _choices(question, answer, sources, language)
            views.append(
                QuestionView(
                    id=question.id,
                    number=number,
                    type=question.type,
                    text=_text(question.text, language),
                    help=_text(question.help, language),
                    required=question.required,
                    widget=_widget(question, options),
                    name=field_name(question.id),
                    choices=options if question.type in ("single", "multiple", "likert") else [],
                    value="" if answer is None or isinstance(answer, list) else str(answer),
                    unit=_text(question.unit, language),
                    error=errors.get(question.id, ""),
                    new=question.id in new,
                )
            )
        if views:
            sections.append(
                SectionView(
                    id=section.id,
                    title=_text(section.title, language),
                    description=_text(section.description, language),
                    questions=views,
                )
            )
    return FormState(
        sections=sections,
        shown=[q.id for q in check.visible],
        errors=errors,
        values=check.values,
        new_questions=new,
    )
