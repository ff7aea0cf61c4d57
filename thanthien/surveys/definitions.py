"""Questionnaires as data: load and validate a definition, evaluate skip logic, check answers.

A definition is a JSON document (format described in docs/SURVEYS.md). `parse_definition`
checks all of it and raises `DefinitionError` listing every problem with the path of the bad
element, e.g. ``sections[2].questions[4].options[1].value: giá trị trùng với lựa chọn khác``.

Answers are a mapping of question id to value. `clean_answers` walks the questions in order,
decides which are visible (skip logic sees only the cleaned answers of earlier visible
questions), normalises each visible answer and reports errors by question id. Answers to
hidden questions are dropped, not rejected: a respondent who goes back and changes an earlier
answer should not be blocked by answers that no longer apply (the ids are in `dropped`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from thanthien.surveys.indices import SCALE_KEYS

FORMAT_VERSION = 1
QUESTION_TYPES = ("single", "multiple", "likert", "number", "text")
CHOICE_TYPES = ("single", "multiple")
#: The five SIPAS factors and the three aspects asked about each.
FACTORS = ("access", "procedure", "officials", "result", "feedback")
ASPECTS = ("perception", "satisfaction", "expectation")
#: Options a campaign fills in (its hamlets, the commune's procedures) instead of the file.
OPTION_SOURCES = ("hamlets", "procedures")
REQUIRED_LANGUAGES = ("vi", "en")
DEFAULT_TEXT_MAX_LENGTH = 1000
LIKERT_POINTS = range(2, 12)
#: Number answers above 10^15 are refused: no survey question needs them.
_NUMBER_DIGITS = 15

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "questionnaires"

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")

_ROOT_KEYS = {"format", "id", "version", "title", "description", "scales", "sections"}
_SECTION_KEYS = {"id", "title", "description", "factor", "show_if", "questions"}
_QUESTION_KEYS = {
    "id",
    "type",
    "text",
    "help",
    "required",
    "options",
    "options_from",
    "max_choices",
    "scale",
    "min",
    "max",
    "integer",
    "unit",
    "max_length",
    "show_if",
    "factor",
    "aspect",
}
_OPTION_KEYS = {"value", "label", "index_key"}
_SCALE_KEYS = {"points", "labels", "index_keys"}
_TYPE_KEYS = {
    "single": {"options", "options_from"},
    "multiple": {"options", "max_choices"},
    "likert": {"scale"},
    "number": {"min", "max", "integer", "unit"},
    "text": {"max_length"},
}


# ---------------------------------------------------------------------------------------------
# The parsed definition


@dataclass(frozen=True)
class Text:
    """A text in several languages; Vietnamese and English are always present."""

    translations: Mapping[str, str]

    @property
    def vi(self) -> str:
        return self.translations["vi"]

    @property
    def en(self) -> str:
        return self.translations["en"]

    def get(self, language: str) -> str:
        """The text in `language` ("en-us" finds "en"), else in Vietnamese."""
        base = language.lower().split("-")[0]
        return self.translations.get(language) or self.translations.get(base) or self.vi


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    index_key: str | None = None


@dataclass(frozen=True)
class Scale:
    """A Likert scale: answers are 1..points, labels[0] is point 1 (the lowest)."""

    points: int
    labels: tuple[Text, ...]
    index_keys: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Condition:
    """A skip-logic condition: a test on one earlier answer, or all / any / not of others."""

    op: str  # "equals", "in", "answered", "all", "any", "not"
    question: str | None = None
    values: tuple[Any, ...] = ()
    answered: bool = True
    children: tuple[Condition, ...] = ()

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """Whether the condition holds for cleaned answers (hidden ones absent)."""
        if self.op == "all":
            return all(child.holds(answers) for child in self.children)
        if self.op == "any":
            return any(child.holds(answers) for child in self.children)
        if self.op == "not":
            return not self.children[0].holds(answers)
        answer = answers.get(self.question)
        if self.op == "answered":
            return (answer is not None) is self.answered
        if answer is None:
            return False
        if isinstance(answer, list):  # multiple choice: any chosen value matches
            return any(value in self.values for value in answer)
        return answer in self.values

    def questions(self) -> set[str]:
        """The ids of the questions this condition reads."""
        if self.question is not None:
            return {self.question}
        return set().union(*(child.questions() for child in self.children))


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Text
    section: str
    path: str
    required: bool = False
    help: Text | None = None
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    max_choices: int | None = None
    scale: Scale | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: Text | None = None
    max_length: int = DEFAULT_TEXT_MAX_LENGTH
    show_if: Condition | None = None
    factor: str | None = None
    aspect: str | None = None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def index_key(self, value: Any) -> str | None:
        """The satisfaction-index key (`indices.SCALE_KEYS`) of a cleaned answer, if any."""
        if self.type == "likert" and self.scale and self.scale.index_keys and value is not None:
            return self.scale.index_keys[value - 1]
        if self.type == "single":
            for option in self.options:
                if option.value == value:
                    return option.index_key
        return None

    def index_mapping(self) -> dict[Any, str]:
        """Answer value -> index key, for `indices.score_counts` over stored answers."""
        if self.type == "likert" and self.scale and self.scale.index_keys:
            return {point: key for point, key in enumerate(self.scale.index_keys, start=1)}
        return {option.value: option.index_key for option in self.options if option.index_key}


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]
    description: Text | None = None
    factor: str | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: Text
    sections: tuple[Section, ...]
    description: Text | None = None
    source: str = ""
    questions: tuple[Question, ...] = field(init=False)

    def __post_init__(self):
        questions = tuple(q for section in self.sections for q in section.questions)
        object.__setattr__(self, "questions", questions)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition: where (a path like sections[0].id) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or _('(gốc)')}: {self.message}"


class DefinitionError(ValueError):
    """A questionnaire definition that does not validate; `problems` lists every error."""

    def __init__(self, problems: Sequence[Problem], *, source: str = ""):
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        heading = (
            _("Phiếu khảo sát %(source)s không hợp lệ:") % {"source": source}
            if source
            else _("Phiếu khảo sát không hợp lệ:")
        )
        super().__init__(f"{heading}\n{lines}")

    @property
    def paths(self) -> list[str]:
        return [problem.path for problem in self.problems]


# ---------------------------------------------------------------------------------------------
# Validation of a definition


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    """Walks a raw definition, collecting problems; builds the parsed objects as it goes."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- small shapes ----------------------------------------------------------------------

    def obj(self, value: Any, path: str, allowed: set[str], required: Iterable[str] = ()) -> bool:
        if not isinstance(value, dict):
            self.add(path, _("phải là một đối tượng JSON {…}"))
            return False
        for key in sorted(set(value) - allowed):
            self.add(
                _join(path, key),
                _("trường “%(key)s” không được hỗ trợ ở đây (viết sai tên?)") % {"key": key},
            )
        for key in required:
            if key not in value:
                self.add(_join(path, key), _("thiếu trường bắt buộc này"))
        return True

    def ident(self, value: Any, path: str, pattern: re.Pattern = _ID) -> str | None:
        if not isinstance(value, str) or not pattern.match(value):
            start = (
                _("bắt đầu bằng chữ cái") if pattern is _ID else _("bắt đầu bằng chữ cái hoặc số")
            )
            self.add(
                path,
                _(
                    "mã “%(value)s” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số, “_” "
                    "và “-”, %(start)s, tối đa 64 ký tự"
                )
                % {"value": value, "start": start},
            )
            return None
        return value

    def text(self, value: Any, path: str) -> Text | None:
        if not isinstance(value, dict):
            self.add(
                path,
                _('phải là một đối tượng có bản tiếng Việt và tiếng Anh: {"vi": …, "en": …}'),
            )
            return None
        good = True
        for language in REQUIRED_LANGUAGES:
            if language not in value:
                self.add(
                    _join(path, language),
                    _("thiếu bản tiếng Việt") if language == "vi" else _("thiếu bản tiếng Anh"),
                )
                good = False
        for language, text in value.items():
            if not isinstance(language, str) or not _LANGUAGE.match(language):
                self.add(_join(path, str(language)), _("mã ngôn ngữ không hợp lệ"))
                good = False
            elif not isinstance(text, str) or not text.strip():
                self.add(_join(path, language), _("phải là một câu chữ, không được để trống"))
                good = False
        return Text(dict(value)) if good else None

    def optional_text(self, raw: dict, key: str, path: str) -> Text | None:
        return self.text(raw[key], _join(path, key)) if key in raw else None

    def boolean(self, raw: dict, key: str, path: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.add(_join(path, key), _("phải là true hoặc false"))
            return default
        return value

    def positive_int(self, raw: dict, key: str, path: str) -> int | None:
        if key not in raw:
            return None
        value = raw[key]
        if not _is_int(value) or value < 1:
            self.add(_join(path, key), _("phải là một số nguyên dương"))
            return None
        return value

    def tag(self, raw: dict, key: str, path: str, allowed: Sequence[str]) -> str | None:
        if key not in raw:
            return None
        value = raw[key]
        if value not in allowed:
            self.add(
                _join(path, key),
                _("“%(value)s” không có; dùng một trong: %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)},
            )
            return None
        return value

    # -- scales, options -------------------------------------------------------------------

    def scale(self, value: Any, path: str) -> Scale | None:
        if not self.obj(value, path, _SCALE_KEYS, ("points", "labels")):
            return None
        points = value.get("points")
        if not _is_int(points) or points not in LIKERT_POINTS:
            self.add(
                _join(path, "points"),
                _("số mức của thang đo phải là số nguyên từ %(low)s đến %(high)s")
                % {"low": LIKERT_POINTS[0], "high": LIKERT_POINTS[-1]},
            )
            points = None
        labels_raw = value.get("labels")
        labels: list[Text | None] = []
        if not isinstance(labels_raw, list):
            if "labels" in value:
                self.add(_join(path, "labels"), _("phải là một danh sách nhãn, từ mức thấp nhất"))
        else:
            labels = [
                self.text(label, _join(_join(path, "labels"), i))
                for i, label in enumerate(labels_raw)
            ]
            if points is not None and len(labels_raw) != points:
                self.add(
                    _join(path, "labels"),
                    _("thang %(points)s mức cần đúng %(points)s nhãn, đang có %(count)s")
                    % {"points": points, "count": len(labels_raw)},
                )
        index_keys = None
        if "index_keys" in value:
            keys_raw = value["index_keys"]
            keys_path = _join(path, "index_keys")
            if not isinstance(keys_raw, list):
                self.add(keys_path, _("phải là một danh sách, mỗi mức một khóa"))
            else:
                if points is not None and len(keys_raw) != points:
                    self.add(
                        keys_path,
                        _("cần đúng %(points)s khóa, mỗi mức một khóa; đang có %(count)s")
                        % {"points": points, "count": len(keys_raw)},
                    )
                for i, key in enumerate(keys_raw):
                    if key not in SCALE_KEYS:
                        self.add(
                            _join(keys_path, i),
                            _("khóa chỉ số “%(value)s” không có; dùng một trong: %(allowed)s")
                            % {"value": key, "allowed": ", ".join(SCALE_KEYS)},
                        )
                index_keys = tuple(keys_raw)
        if points is None or len(labels) != points or any(label is None for label in labels):
            return None
        if index_keys is not None and (
            len(index_keys) != points or any(key not in SCALE_KEYS for key in index_keys)
        ):
            return None
        return Scale(points=points, labels=tuple(labels), index_keys=index_keys)

    def options(self, value: Any, path: str) -> tuple[Option, ...] | None:
        if not isinstance(value, list):
            self.add(path, _("phải là một danh sách lựa chọn"))
            return None
        if len(value) < 2:
            self.add(path, _("cần ít nhất hai lựa chọn"))
        seen: dict[str, int] = {}
        options: list[Option] = []
        good = True
        for i, raw in enumerate(value):
            option_path = _join(path, i)
            if not self.obj(raw, option_path, _OPTION_KEYS, ("value", "label")):
                good = False
                continue
            option_value = self.ident(raw.get("value"), _join(option_path, "value"), _VALUE)
            label = self.text(raw["label"], _join(option_path, "label")) if "label" in raw else None
            index_key = None
            if "index_key" in raw:
                index_key = self.tag(raw, "index_key", option_path, SCALE_KEYS)
                good = good and index_key is not None
            if option_value is not None and option_value in seen:
                self.add(
                    _join(option_path, "value"),
                    _("giá trị trùng với lựa chọn khác (options[%(other)s])")
                    % {"other": seen[option_value]},
                )
                good = False
            elif option_value is not None:
                seen[option_value] = i
            if option_value is None or label is None:
                good = False
                continue
            options.append(Option(value=option_value, label=label, index_key=index_key))
        return tuple(options) if good else None


def _question_kwargs(
    checker: _Checker, raw: Any, path: str, scales: dict[str, Scale | None], section: dict
) -> dict | None:
    """The parsed fields of one question (its show_if is parsed later, with order known)."""
    if not checker.obj(raw, path, _QUESTION_KEYS, ("id", "type", "text")):
        return None
    kwargs: dict[str, Any] = {"path": path, "section": section["id"]}
    kwargs["id"] = checker.ident(raw.get("id"), _join(path, "id"))
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        checker.add(
            _join(path, "type"),
            _("loại câu hỏi “%(value)s” không có; dùng một trong: %(allowed)s")
            % {"value": kind, "allowed": ", ".join(QUESTION_TYPES)},
        )
        kind = None
    kwargs["type"] = kind
    kwargs["text"] = checker.text(raw["text"], _join(path, "text")) if "text" in raw else None
    kwargs["help"] = checker.optional_text(raw, "help", path)
    kwargs["required"] = checker.boolean(raw, "required", path, False)
    kwargs["factor"] = checker.tag(raw, "factor", path, FACTORS) or section.get("factor")
    kwargs["aspect"] = checker.tag(raw, "aspect", path, ASPECTS)
    ok = None not in (kwargs["id"], kind, kwargs["text"])

    if kind is not None:
        for key in sorted(set(raw) & (set().union(*_TYPE_KEYS.values()) - _TYPE_KEYS[kind])):
            checker.add(
                _join(path, key),
                _("câu hỏi loại “%(type)s” không dùng trường này") % {"type": kind},
            )
            ok = False

    if kind in CHOICE_TYPES:
        if "options_from" in raw:
            kwargs["options_from"] = checker.tag(raw, "options_from", path, OPTION_SOURCES)
            ok = ok and kwargs["options_from"] is not None
            if "options" in raw:
                checker.add(
                    _join(path, "options"),
                    _(
                        "đã có options_from thì không ghi options: lựa chọn do đợt khảo sát "
                        "cung cấp"
                    ),
                )
                ok = False
        elif "options" not in raw:
            checker.add(
                _join(path, "options"),
                _("câu hỏi loại “%(type)s” cần danh sách lựa chọn") % {"type": kind},
            )
            ok = False
        else:
            options = checker.options(raw["options"], _join(path, "options"))
            kwargs["options"] = options or ()
            ok = ok and options is not None
        if kind == "multiple":
            kwargs["max_choices"] = checker.positive_int(raw, "max_choices", path)
    elif kind == "likert":
        scale_raw = raw.get("scale")
        scale_path = _join(path, "scale")
        if scale_raw is None:
            checker.add(scale_path, _("câu hỏi thang đo (likert) cần trường scale"))
            scale = None
        elif isinstance(scale_raw, str):
            if scale_raw not in scales:
                checker.add(
                    scale_path,
                    _("thang đo “%(name)s” không được khai báo trong “scales”")
                    % {"name": scale_raw},
                )
            scale = scales.get(scale_raw)
        else:
            scale = checker.scale(scale_raw, scale_path)
        kwargs["scale"] = scale
        ok = ok and scale is not None
    elif kind == "number":
        for key in ("min", "max"):
            if key in raw and not _is_number(raw[key]):
                checker.add(_join(path, key), _("phải là một số"))
                ok = False
            elif key in raw:
                kwargs[key] = raw[key]
        low, high = kwargs.get("min"), kwargs.get("max")
        if low is not None and high is not None and low > high:
            checker.add(_join(path, "max"), _("max phải lớn hơn hoặc bằng min"))
            ok = False
        kwargs["integer"] = checker.boolean(raw, "integer", path, False)
        kwargs["unit"] = checker.optional_text(raw, "unit", path)
    elif kind == "text":
        max_length = checker.positive_int(raw, "max_length", path)
        if max_length is not None:
            kwargs["max_length"] = max_length

    if kwargs["aspect"] == "satisfaction" and kind is not None:
        keyed = (kind == "likert" and kwargs.get("scale") and kwargs["scale"].index_keys) or (
            kind == "single"
            and kwargs.get("options")
            and all(option.index_key for option in kwargs["options"])
        )
        if not keyed and ok:
            checker.add(
                _join(path, "aspect"),
                _(
                    "câu hỏi đo mức hài lòng phải là thang đo có index_keys hoặc câu chọn một "
                    "có index_key ở mọi lựa chọn, để tính được chỉ số hài lòng"
                ),
            )
            ok = False
    return kwargs if ok else None


def _condition_value_ok(question: Question, value: Any) -> bool:
    if question.type in CHOICE_TYPES:
        return isinstance(value, str) and value in question.option_values
    if question.type == "likert":
        return _is_int(value) and question.scale is not None and 1 <= value <= question.scale.points
    if question.type == "number":
        return (
            _is_number(value)
            and (question.min is None or value >= question.min)
            and (question.max is None or value <= question.max)
        )
    return isinstance(value, str)


def _condition(
    checker: _Checker,
    raw: Any,
    path: str,
    earlier: dict[str, Question],
    later: set[str],
    broken: set[str],
) -> Condition | None:
    """Parse a show_if; it may only read questions in `earlier` (those asked before it)."""
    if not isinstance(raw, dict) or not raw:
        checker.add(path, _("phải là một điều kiện {…}"))
        return None
    combinators = [key for key in ("all", "any", "not") if key in raw]
    if combinators:
        key = combinators[0]
        if len(raw) != 1:
            checker.add(
                path,
                _("điều kiện “%(key)s” phải đứng một mình trong đối tượng của nó") % {"key": key},
            )
            return None
        if key == "not":
            child = _condition(checker, raw["not"], _join(path, "not"), earlier, later, broken)
            return Condition(op="not", children=(child,)) if child else None
        items = raw[key]
        if not isinstance(items, list) or not items:
            checker.add(_join(path, key), _("phải là một danh sách điều kiện, không rỗng"))
            return None
        children = [
            _condition(checker, item, _join(_join(path, key), i), earlier, later, broken)
            for i, item in enumerate(items)
        ]
        if any(child is None for child in children):
            return None
        return Condition(op=key, children=tuple(children))

    if not checker.obj(raw, path, {"question", "equals", "in", "answered"}, ("question",)):
        return None
    tests = [key for key in ("equals", "in", "answered") if key in raw]
    if len(tests) != 1:
        checker.add(
            path,
            _("điều kiện cần đúng một trong: equals, in, answered (hoặc all, any, not)"),
        )
        return None
    question_id = raw.get("question")
    question_path = _join(path, "question")
    if not isinstance(question_id, str):
        checker.add(question_path, _("phải là mã của một câu hỏi đứng trước"))
        return None
    if question_id not in earlier:
        if question_id in broken:
            return None  # that question's own problems are already reported
        if question_id in later:
            checker.add(
                question_path,
                _(
                    "chỉ được dựa vào câu hỏi đứng trước; câu “%(id)s” đứng sau (hoặc chính là) "
                    "câu này"
                )
                % {"id": question_id},
            )
        else:
            checker.add(
                question_path, _("câu hỏi “%(id)s” không có trong phiếu") % {"id": question_id}
            )
        return None
    question = earlier[question_id]
    test = tests[0]
    if test == "answered":
        if not isinstance(raw["answered"], bool):
            checker.add(_join(path, "answered"), _("phải là true hoặc false"))
            return None
        return Condition(op="answered", question=question_id, answered=raw["answered"])
    if question.options_from:
        checker.add(
            _join(path, test),
            _(
                "lựa chọn của câu “%(id)s” do đợt khảo sát cung cấp, chỉ dùng được "
                "điều kiện answered"
            )
            % {"id": question_id},
        )
        return None
    if test == "equals":
        values = [raw["equals"]]
        value_paths = [_join(path, "equals")]
    else:
        values = raw["in"]
        if not isinstance(values, list) or not values:
            checker.add(_join(path, "in"), _("phải là một danh sách giá trị, không rỗng"))
            return None
        value_paths = [_join(_join(path, "in"), i) for i in range(len(values))]
    good = True
    for value, value_path in zip(values, value_paths, strict=True):
        if not _condition_value_ok(question, value):
            checker.add(
                value_path,
                _("giá trị “%(value)s” không phải là câu trả lời có thể có của câu “%(id)s”")
                % {"value": value, "id": question_id},
            )
            good = False
    if not good:
        return None
    return Condition(op="in", question=question_id, values=tuple(values))


def parse_definition(data: Any, *, source: str = "") -> Questionnaire:
    """Validate a definition (already decoded from JSON) and build it; DefinitionError if bad."""
    checker = _Checker()
    if not checker.obj(data, "", _ROOT_KEYS, ("format", "id", "version", "title", "sections")):
        raise DefinitionError(checker.problems, source=source)
    if "format" in data and data["format"] != FORMAT_VERSION:
        checker.add(
            "format",
            _("định dạng phiếu “%(value)s” không được hỗ trợ; phiên bản hiện có: %(version)s")
            % {"value": data["format"], "version": FORMAT_VERSION},
        )
    questionnaire_id = checker.ident(data.get("id"), "id") if "id" in data else None
    version = checker.positive_int(data, "version", "")
    title = checker.text(data["title"], "title") if "title" in data else None
    description = checker.optional_text(data, "description", "")

    scales: dict[str, Scale | None] = {}
    if "scales" in data:
        if not isinstance(data["scales"], dict):
            checker.add("scales", _("phải là một đối tượng: tên thang đo → thang đo"))
        else:
            for name, raw in data["scales"].items():
                scale_path = _join("scales", name)
                if checker.ident(name, scale_path) is not None:
                    scales[name] = checker.scale(raw, scale_path)

    sections_raw = data.get("sections")
    if "sections" in data and (not isinstance(sections_raw, list) or not sections_raw):
        checker.add("sections", _("phải là một danh sách phần, có ít nhất một phần"))
        sections_raw = []
    sections_raw = sections_raw or []

    # Pass 1: every section and question without conditions, so ids and order are known.
    parsed_sections: list[tuple[dict, list[tuple[dict | None, Any, str]]]] = []
    section_ids: dict[str, str] = {}
    question_ids: dict[str, str] = {}
    question_path_ids: dict[str, str] = {}
    for s, section_raw in enumerate(sections_raw):
        section_path = _join("sections", s)
        if not checker.obj(section_raw, section_path, _SECTION_KEYS, ("id", "title", "questions")):
            continue
        section = {
            "id": checker.ident(section_raw.get("id"), _join(section_path, "id")),
            "title": (
                checker.text(section_raw["title"], _join(section_path, "title"))
                if "title" in section_raw
                else None
            ),
            "description": checker.optional_text(section_raw, "description", section_path),
            "factor": checker.tag(section_raw, "factor", section_path, FACTORS),
            "path": section_path,
            "show_if": section_raw.get("show_if"),
        }
        if section["id"] is not None:
            if section["id"] in section_ids:
                checker.add(
                    _join(section_path, "id"),
                    _("mã phần “%(id)s” trùng với %(other)s")
                    % {"id": section["id"], "other": section_ids[section["id"]]},
                )
            else:
                section_ids[section["id"]] = section_path
        questions_raw = section_raw.get("questions")
        questions: list[tuple[dict | None, Any, str]] = []
        if not isinstance(questions_raw, list) or not questions_raw:
            if "questions" in section_raw:
                checker.add(
                    _join(section_path, "questions"),
                    _("phải là một danh sách câu hỏi, có ít nhất một câu"),
                )
        else:
            for q, question_raw in enumerate(questions_raw):
                question_path = _join(_join(section_path, "questions"), q)
                kwargs = _question_kwargs(checker, question_raw, question_path, scales, section)
                raw_id = question_raw.get("id") if isinstance(question_raw, dict) else None
                if isinstance(raw_id, str) and _ID.match(raw_id):
                    if raw_id in question_ids:
                        checker.add(
                            _join(question_path, "id"),
                            _("mã câu hỏi “%(id)s” trùng với %(other)s")
                            % {"id": raw_id, "other": question_ids[raw_id]},
                        )
                        kwargs = None
                    else:
                        question_ids[raw_id] = question_path
                        question_path_ids[question_path] = raw_id
                raw_show_if = (
                    question_raw.get("show_if") if isinstance(question_raw, dict) else None
                )
                questions.append((kwargs, raw_show_if, question_path))
        parsed_sections.append((section, questions))

    # Pass 2: conditions, each allowed to read only the questions before it.
    all_ids = set(question_ids)
    earlier: dict[str, Question] = {}
    seen: set[str] = set()
    sections: list[Section] = []
    for section, questions in parsed_sections:
        section_condition = None
        if section["show_if"] is not None:
            section_condition = _condition(
                checker,
                section["show_if"],
                _join(section["path"], "show_if"),
                earlier,
                all_ids - seen,
                seen - set(earlier),
            )
        built: list[Question] = []
        for kwargs, raw_show_if, question_path in questions:
            condition = None
            if raw_show_if is not None:
                condition = _condition(
                    checker,
                    raw_show_if,
                    _join(question_path, "show_if"),
                    earlier,
                    all_ids - seen,
                    seen - set(earlier),
                )
            raw_id = question_path_ids.get(question_path)
            if raw_id is not None:
                seen.add(raw_id)
            if kwargs is None:
                continue
            question = Question(show_if=condition, **kwargs)
            earlier[question.id] = question
            built.append(question)
        if section["id"] is not None and section["title"] is not None:
            sections.append(
                Section(
                    id=section["id"],
                    title=section["title"],
                    description=section["description"],
                    factor=section["factor"],
                    show_if=section_condition,
                    questions=tuple(built),
                )
            )

    if checker.problems:
        raise DefinitionError(checker.problems, source=source)
    return Questionnaire(
        id=questionnaire_id,
        version=version,
        title=title,
        description=description,
        sections=tuple(sections),
        source=source,
    )


def load_definition(path: Path | str) -> Questionnaire:
    """Read and validate a JSON definition file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [
                Problem(
                    "",
                    _("JSON không đọc được ở dòng %(line)s, cột %(column)s: %(error)s")
                    % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
                )
            ],
            source=path.name,
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(
            [Problem("", _("không đọc được tệp: %(error)s") % {"error": exc})], source=path.name
        ) from exc
    return parse_definition(data, source=path.name)


def shipped_paths() -> list[Path]:
    """The questionnaire files shipped with the platform, in name order."""
    return sorted(SHIPPED_DIR.glob("*.json"))


def shipped_questionnaires() -> dict[tuple[str, int], Questionnaire]:
    """Every shipped questionnaire by (id, version); DefinitionError if one is bad or repeated."""
    found: dict[tuple[str, int], Questionnaire] = {}
    for path in shipped_paths():
        questionnaire = load_definition(path)
        key = (questionnaire.id, questionnaire.version)
        if key in found:
            raise DefinitionError(
                [
                    Problem(
                        "version",
                        _("phiếu “%(id)s” phiên bản %(version)s trùng với tệp %(other)s")
                        % {
                            "id": questionnaire.id,
                            "version": questionnaire.version,
                            "other": found[key].source,
                        },
                    )
                ],
                source=path.name,
            )
        found[key] = questionnaire
    return found


def shipped_questionnaire(questionnaire_id: str, version: int | None = None) -> Questionnaire:
    """A shipped questionnaire: the given version, or the newest one; KeyError if absent."""
    versions = {
        key[1]: questionnaire
        for key, questionnaire in shipped_questionnaires().items()
        if key[0] == questionnaire_id
    }
    if not versions:
        raise KeyError(questionnaire_id)
    return versions[version if version is not None else max(versions)]


# ---------------------------------------------------------------------------------------------
# Skip logic and answers


@dataclass(frozen=True)
class AnswerCheck:
    """The outcome of checking answers: cleaned values of visible questions, errors by id."""

    values: dict[str, Any]
    errors: dict[str, str]
    visible: tuple[Question, ...]
    dropped: tuple[str, ...]

    @property
    def is_valid(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    def __init__(self, message: str):
        self.message = message


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | set | frozenset) and not value


def _clean_number(question: Question, value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Invalid(_("Hãy nhập một số."))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text) if len(text) <= 30 else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise _Invalid(_("Hãy nhập một số."))
        # "1e999999999" is a valid Decimal whose int() would take minutes to build.
        if number.adjusted() > _NUMBER_DIGITS:
            raise _Invalid(_("Số quá lớn."))
        value = int(number) if number == number.to_integral_value() else float(number)
    elif isinstance(value, Decimal):
        value = float(value)
    if not isinstance(value, int | float):
        raise _Invalid(_("Hãy nhập một số."))
    if isinstance(value, float) and not math.isfinite(value):
        raise _Invalid(_("Hãy nhập một số."))
    if abs(value) >= 10 ** (_NUMBER_DIGITS + 1):
        raise _Invalid(_("Số quá lớn."))
    if question.integer:
        if value != int(value):
            raise _Invalid(_("Hãy nhập một số nguyên."))
        value = int(value)
    if question.min is not None and value < question.min:
        raise _Invalid(_("Số phải từ %(min)s trở lên.") % {"min": question.min})
    if question.max is not None and value > question.max:
        raise _Invalid(_("Số phải không quá %(max)s.") % {"max": question.max})
    return value


def _choices_of(question: Question, choices: Mapping[str, Iterable[str]] | None):
    if question.options_from:
        if choices is None or question.options_from not in choices:
            return None  # supplied by a campaign we were not told about: accept any value
        return {str(value) for value in choices[question.options_from]}
    return set(question.option_values)


def _clean_value(
    question: Question, value: Any, choices: Mapping[str, Iterable[str]] | None
) -> Any:
    if question.type == "single":
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise _Invalid(_("Hãy chọn một câu trả lời."))
        value = value.strip()
        allowed = _choices_of(question, choices)
        if (allowed is not None and value not in allowed) or len(value) > 100:
            raise _Invalid(
                _("“%(value)s” không phải là một lựa chọn của câu này.") % {"value": value}
            )
        return value
    if question.type == "multiple":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset) or not all(
            isinstance(item, str) for item in items
        ):
            raise _Invalid(_("Hãy chọn một hoặc nhiều câu trả lời."))
        allowed = _choices_of(question, choices)
        chosen = {item.strip() for item in items}
        unknown = sorted(chosen - allowed) if allowed is not None else []
        if unknown:
            raise _Invalid(
                _("“%(value)s” không phải là một lựa chọn của câu này.")
                % {"value": ", ".join(unknown)}
            )
        if question.max_choices is not None and len(chosen) > question.max_choices:
            raise _Invalid(
                _("Chọn nhiều nhất %(count)s câu trả lời.") % {"count": question.max_choices}
            )
        # Keep the order of the questionnaire, whatever order the form sent.
        return [value for value in question.option_values if value in chosen]
    if question.type == "likert":
        points = question.scale.points
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not _is_int(value) or not 1 <= value <= points:
            raise _Invalid(_("Hãy chọn một mức từ 1 đến %(points)s.") % {"points": points})
        return value
    if question.type == "number":
        return _clean_number(question, value)
    if not isinstance(value, str):
        raise _Invalid(_("Hãy viết câu trả lời bằng chữ."))
    value = value.strip()
    if len(value) > question.max_length:
        raise _Invalid(
            _("Câu trả lời dài quá: tối đa %(limit)s ký tự, đang có %(count)s.")
            % {"limit": question.max_length, "count": len(value)}
        )
    return value


def clean_answers(
    definition: Questionnaire,
    answers: Mapping[str, Any],
    *,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> AnswerCheck:
    """Check answers against a definition: visibility, required, type, option and range.

    `choices` gives the options of questions with `options_from` (e.g. {"hamlets": [...ids]});
    without it such answers are accepted as any short text. Answers to hidden questions are
    dropped (listed in `dropped`); answers to ids not in the questionnaire are errors.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    visible: list[Question] = []
    dropped: list[str] = []
    known = {question.id for question in definition.questions}
    for section in definition.sections:
        section_shown = section.show_if is None or section.show_if.holds(values)
        for question in section.questions:
            shown = section_shown and (question.show_if is None or question.show_if.holds(values))
            raw = answers.get(question.id)
            if not shown:
                if not _is_empty(raw):
                    dropped.append(question.id)
                continue
            visible.append(question)
            if _is_empty(raw):
                if question.required:
                    errors[question.id] = _("Câu này cần được trả lời.")
                continue
            try:
                values[question.id] = _clean_value(question, raw, choices)
            except _Invalid as invalid:
                errors[question.id] = invalid.message
    for question_id in answers:
        if question_id not in known:
            errors[str(question_id)] = _("Phiếu không có câu hỏi này.")
    return AnswerCheck(values=values, errors=errors, visible=tuple(visible), dropped=tuple(dropped))


def visible_questions(
    definition: Questionnaire,
    answers: Mapping[str, Any],
    *,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> list[Question]:
    """The questions shown for these answers, in order (skip logic applied)."""
    return list(clean_answers(definition, answers, choices=choices).visible)


def validate_answers(
    definition: Questionnaire,
    answers: Mapping[str, Any],
    *,
    choices: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, str]:
    """Errors by question id (empty when the answers are acceptable); see `clean_answers`."""
    return clean_answers(definition, answers, choices=choices).errors
