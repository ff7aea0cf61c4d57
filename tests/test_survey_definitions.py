"""Questionnaire definitions: shipped files, validation errors with paths, skip logic, answers."""

import copy
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from thanthien.surveys.definitions import (
    ASPECTS,
    FACTORS,
    DefinitionError,
    clean_answers,
    load_definition,
    parse_definition,
    shipped_paths,
    shipped_questionnaire,
    shipped_questionnaires,
    validate_answers,
    visible_questions,
)
from thanthien.surveys.indices import satisfaction_index


def T(vi, en=None):
    return {"vi": vi, "en": en or vi}


YES_NO = [{"value": "yes", "label": T("Có", "Yes")}, {"value": "no", "label": T("Không", "No")}]


def base() -> dict:
    """A small valid definition; each test mutates its own copy."""
    return copy.deepcopy(
        {
            "format": 1,
            "id": "thu",
            "version": 1,
            "title": T("Phiếu thử", "Test form"),
            "scales": {
                "hai-long": {
                    "points": 4,
                    "labels": [T("Không hài lòng"), T("Bình thường"), T("Hài lòng"), T("Rất")],
                    "index_keys": ["dissatisfied", "neutral", "satisfied", "very_satisfied"],
                }
            },
            "sections": [
                {
                    "id": "a",
                    "title": T("Phần A"),
                    "questions": [
                        {"id": "went", "type": "single", "text": T("Đã đi?"), "options": YES_NO},
                        {
                            "id": "why",
                            "type": "multiple",
                            "text": T("Vì sao?"),
                            "required": True,
                            "show_if": {"question": "went", "equals": "yes"},
                            "max_choices": 2,
                            "options": [
                                {"value": "work", "label": T("Việc")},
                                {"value": "family", "label": T("Nhà")},
                                {"value": "other", "label": T("Khác")},
                            ],
                        },
                    ],
                },
                {
                    "id": "b",
                    "title": T("Phần B"),
                    "factor": "officials",
                    "questions": [
                        {
                            "id": "score",
                            "type": "likert",
                            "text": T("Hài lòng?"),
                            "scale": "hai-long",
                            "aspect": "satisfaction",
                            "required": True,
                        },
                        {
                            "id": "age",
                            "type": "number",
                            "text": T("Tuổi?"),
                            "integer": True,
                            "min": 16,
                            "max": 120,
                        },
                        {
                            "id": "visits",
                            "type": "number",
                            "text": T("Số giờ chờ?"),
                            "min": 0,
                            "show_if": {"any": [{"question": "score", "in": [1, 2]}]},
                        },
                        {"id": "note", "type": "text", "text": T("Ghi chú"), "max_length": 20},
                        {
                            "id": "hamlet",
                            "type": "single",
                            "text": T("Thôn?"),
                            "options_from": "hamlets",
                        },
                    ],
                },
            ],
        }
    )


def problems_of(data) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return [str(problem) for problem in caught.value.problems]


# -- shipped files ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", shipped_paths(), ids=lambda path: path.name)
def test_every_shipped_questionnaire_is_valid_and_named_after_its_id(path):
    questionnaire = load_definition(path)
    assert path.name == f"{questionnaire.id}.json"
    assert questionnaire.questions
    for question in questionnaire.questions:
        assert question.text.vi.strip() and question.text.en.strip()
    # Each survey yields at least one satisfaction index.
    assert any(question.aspect == "satisfaction" for question in questionnaire.questions)


def test_the_sipas_and_seven_friendly_government_surveys_ship():
    ids = {key[0] for key in shipped_questionnaires()}
    assert ids == {
        "sipas-xa",
        "can-bo-dan-chu-co-quan",
        "nguoi-dan-danh-gia-chu-tich",
        "nguoi-dan-ket-qua-dan-chu",
        "nguoi-dan-to-chuc-thu-tuc",
        "can-bo-mot-cua",
        "van-hoa-cong-so",
        "hai-long-chinh-quyen-than-thien",
    }


def test_sipas_asks_perception_satisfaction_and_expectation_for_every_factor():
    sipas = shipped_questionnaire("sipas-xa")
    pairs = Counter((q.factor, q.aspect) for q in sipas.questions if q.factor and q.aspect)
    for factor in FACTORS:
        for aspect in ASPECTS:
            assert pairs[(factor, aspect)] >= 1, (factor, aspect)
    demographics = {q.id: q for q in sipas.questions if q.section == "about_you"}
    assert {"age_group", "gender", "hamlet"} <= set(demographics)
    assert demographics["hamlet"].options_from == "hamlets"
    assert sipas.question("procedure_used").options_from == "procedures"


def test_sipas_asks_about_feedback_handling_only_of_those_who_gave_feedback():
    sipas = shipped_questionnaire("sipas-xa")
    gave = {q.id for q in visible_questions(sipas, {"feedback_given": "yes"})}
    did_not = {q.id for q in visible_questions(sipas, {"feedback_given": "no"})}
    assert {"feedback_answered", "feedback_satisfaction"} <= gave - did_not
    assert "feedback_why_not" in did_not - gave
    assert "feedback_expectation" in gave & did_not


def test_check_questionnaires_command_passes_on_shipped_files(capsys):
    call_command("check_questionnaires")
    out = capsys.readouterr().out
    assert f"{len(shipped_paths())} phiếu hợp lệ" in out


def test_check_questionnaires_command_reports_each_bad_file_with_paths(tmp_path, capsys):
    data = base()
    data["sections"][0]["questions"][1]["options"][1]["value"] = "work"
    bad = tmp_path / "xa-tu-soan.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="1 phiếu không hợp lệ"):
        call_command("check_questionnaires", str(bad))
    err = capsys.readouterr().err
    assert "xa-tu-soan.json" in err
    assert "sections[0].questions[1].options[1].value: giá trị trùng với lựa chọn khác" in err


def test_broken_json_is_reported_with_line_and_column(tmp_path):
    path = tmp_path / "hong.json"
    path.write_text('{"id": "x",\n  "version": }', encoding="utf-8")
    with pytest.raises(DefinitionError, match="dòng 2"):
        load_definition(path)


# -- definition errors, each with the path of the bad element ---------------------------------


def _set(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _del(data, path):
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]


Q0 = ("sections", 0, "questions")
Q1 = ("sections", 1, "questions")

ERROR_CASES = {
    "duplicate option value": (
        lambda d: _set(d, (*Q0, 1, "options", 2, "value"), "work"),
        "sections[0].questions[1].options[2].value: giá trị trùng với lựa chọn khác",
    ),
    "unknown question type": (
        lambda d: _set(d, (*Q0, 0, "type"), "dropdown"),
        "sections[0].questions[0].type: loại câu hỏi “dropdown” không có",
    ),
    "English missing": (
        lambda d: _del(d, (*Q1, 3, "text", "en")),
        "sections[1].questions[3].text.en: thiếu bản tiếng Anh",
    ),
    "Vietnamese empty": (
        lambda d: _set(d, ("title", "vi"), "  "),
        "title.vi: phải là một câu chữ, không được để trống",
    ),
    "duplicate question id": (
        lambda d: _set(d, (*Q1, 1, "id"), "went"),
        "sections[1].questions[1].id: mã câu hỏi “went” trùng với sections[0].questions[0]",
    ),
    "duplicate section id": (
        lambda d: _set(d, ("sections", 1, "id"), "a"),
        "sections[1].id: mã phần “a” trùng với sections[0]",
    ),
    "choice without options": (
        lambda d: _del(d, (*Q0, 0, "options")),
        "sections[0].questions[0].options: câu hỏi loại “single” cần danh sách lựa chọn",
    ),
    "a single option": (
        lambda d: _set(d, (*Q0, 0, "options"), YES_NO[:1]),
        "sections[0].questions[0].options: cần ít nhất hai lựa chọn",
    ),
    "show_if on a later question": (
        lambda d: _set(d, (*Q0, 0, "show_if"), {"question": "why", "answered": True}),
        "sections[0].questions[0].show_if.question: chỉ được dựa vào câu hỏi đứng trước",
    ),
    "show_if on itself": (
        lambda d: _set(d, (*Q0, 1, "show_if"), {"question": "why", "answered": True}),
        "sections[0].questions[1].show_if.question: chỉ được dựa vào câu hỏi đứng trước",
    ),
    "show_if on an unknown question": (
        lambda d: _set(d, (*Q0, 1, "show_if", "question"), "nowhere"),
        "sections[0].questions[1].show_if.question: câu hỏi “nowhere” không có trong phiếu",
    ),
    "show_if with a value that is not an option": (
        lambda d: _set(d, (*Q0, 1, "show_if", "equals"), "maybe"),
        "sections[0].questions[1].show_if.equals: giá trị “maybe” không phải là câu trả lời",
    ),
    "show_if likert point out of the scale, nested": (
        lambda d: _set(d, (*Q1, 2, "show_if", "any", 0, "in"), [1, 7]),
        "sections[1].questions[2].show_if.any[0].in[1]: giá trị “7” không phải",
    ),
    "show_if with two tests": (
        lambda d: _set(d, (*Q0, 1, "show_if", "in"), ["yes"]),
        "sections[0].questions[1].show_if: điều kiện cần đúng một trong",
    ),
    "show_if equals on campaign-supplied options": (
        lambda d: d["sections"][1]["questions"].append(
            {
                "id": "later",
                "type": "text",
                "text": T("Sau"),
                "show_if": {"question": "hamlet", "equals": "thon-1"},
            }
        ),
        "sections[1].questions[5].show_if.equals: lựa chọn của câu “hamlet” do đợt khảo sát",
    ),
    "section show_if on its own question": (
        lambda d: _set(d, ("sections", 1, "show_if"), {"question": "score", "answered": True}),
        "sections[1].show_if.question: chỉ được dựa vào câu hỏi đứng trước",
    ),
    "likert labels do not match points": (
        lambda d: _set(d, ("scales", "hai-long", "points"), 5),
        "scales.hai-long.labels: thang 5 mức cần đúng 5 nhãn, đang có 4",
    ),
    "likert with one point": (
        lambda d: _set(d, (*Q1, 0, "scale"), {"points": 1, "labels": [T("Một")]}),
        "sections[1].questions[0].scale.points: số mức của thang đo phải là số nguyên từ 2",
    ),
    "likert with an undeclared scale": (
        lambda d: _set(d, (*Q1, 0, "scale"), "dong-y"),
        "sections[1].questions[0].scale: thang đo “dong-y” không được khai báo",
    ),
    "index key not on the scale": (
        lambda d: _set(d, ("scales", "hai-long", "index_keys", 3), "delighted"),
        "scales.hai-long.index_keys[3]: khóa chỉ số “delighted” không có",
    ),
    "satisfaction question without index keys": (
        lambda d: _del(d, ("scales", "hai-long", "index_keys")),
        "sections[1].questions[0].aspect: câu hỏi đo mức hài lòng phải là thang đo có index_keys",
    ),
    "misspelt field": (
        lambda d: _set(d, (*Q0, 0, "requried"), True),
        "sections[0].questions[0].requried: trường “requried” không được hỗ trợ",
    ),
    "field of another type": (
        lambda d: _set(d, (*Q1, 3, "options"), YES_NO),
        "sections[1].questions[3].options: câu hỏi loại “text” không dùng trường này",
    ),
    "min above max": (
        lambda d: _set(d, (*Q1, 1, "min"), 200),
        "sections[1].questions[1].max: max phải lớn hơn hoặc bằng min",
    ),
    "unknown factor": (
        lambda d: _set(d, ("sections", 1, "factor"), "prices"),
        "sections[1].factor: “prices” không có; dùng một trong: access, procedure",
    ),
    "unknown aspect": (
        lambda d: _set(d, (*Q0, 0, "aspect"), "opinion"),
        "sections[0].questions[0].aspect: “opinion” không có",
    ),
    "bad option value": (
        lambda d: _set(d, (*Q0, 0, "options", 0, "value"), "Có rồi"),
        "sections[0].questions[0].options[0].value: mã “Có rồi” không hợp lệ",
    ),
    "unsupported format": (
        lambda d: _set(d, ("format",), 2),
        "format: định dạng phiếu “2” không được hỗ trợ",
    ),
    "missing version": (
        lambda d: _del(d, ("version",)),
        "version: thiếu trường bắt buộc này",
    ),
    "empty section": (
        lambda d: _set(d, ("sections", 0, "questions"), []),
        "sections[0].questions: phải là một danh sách câu hỏi, có ít nhất một câu",
    ),
}


@pytest.mark.parametrize("case", ERROR_CASES, ids=list(ERROR_CASES))
def test_each_definition_error_names_the_path_of_the_bad_element(case):
    mutate, expected = ERROR_CASES[case]
    data = base()
    mutate(data)
    problems = problems_of(data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_the_base_definition_is_valid():
    questionnaire = parse_definition(base())
    assert [q.id for q in questionnaire.questions] == [
        "went",
        "why",
        "score",
        "age",
        "visits",
        "note",
        "hamlet",
    ]
    assert questionnaire.question("score").factor == "officials"  # inherited from the section


def test_every_problem_is_reported_at_once():
    data = base()
    _set(data, (*Q0, 0, "type"), "dropdown")
    _del(data, (*Q1, 3, "text", "en"))
    _set(data, (*Q1, 1, "min"), 200)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    assert set(caught.value.paths) >= {
        "sections[0].questions[0].type",
        "sections[1].questions[3].text.en",
        "sections[1].questions[1].max",
    }
    assert "sections[1].questions[3].text.en: thiếu bản tiếng Anh" in str(caught.value)


def test_a_definition_that_is_not_an_object_is_refused():
    assert problems_of([1, 2]) == ["(gốc): phải là một đối tượng JSON {…}"]


# -- skip logic -------------------------------------------------------------------------------


def test_questions_show_only_when_their_condition_holds():
    questionnaire = parse_definition(base())
    ids = [q.id for q in visible_questions(questionnaire, {})]
    assert "why" not in ids and "visits" not in ids
    ids = [q.id for q in visible_questions(questionnaire, {"went": "yes", "score": 2})]
    assert "why" in ids and "visits" in ids
    ids = [q.id for q in visible_questions(questionnaire, {"went": "no", "score": "4"})]
    assert "why" not in ids and "visits" not in ids


def _chain(condition_for_third):
    data = base()
    data["sections"][0]["questions"].append(
        {"id": "third", "type": "text", "text": T("Ba"), "show_if": condition_for_third}
    )
    return parse_definition(data)


def test_hiding_a_question_hides_the_questions_that_depend_on_it():
    questionnaire = _chain({"question": "why", "answered": True})
    shown = visible_questions(questionnaire, {"went": "yes", "why": ["work"]})
    assert "third" in [q.id for q in shown]
    # "why" is hidden once "went" is no, so its stale answer no longer counts.
    hidden = visible_questions(questionnaire, {"went": "no", "why": ["work"]})
    assert "third" not in [q.id for q in hidden]


@pytest.mark.parametrize(
    ("condition", "answers", "shown"),
    [
        ({"question": "why", "in": ["family", "other"]}, {"went": "yes", "why": ["work"]}, False),
        ({"question": "why", "equals": "family"}, {"went": "yes", "why": ["work", "family"]}, True),
        (
            {"all": [{"question": "went", "equals": "yes"}, {"question": "why", "answered": True}]},
            {"went": "yes"},
            False,
        ),
        (
            {"any": [{"question": "went", "equals": "no"}, {"question": "why", "answered": True}]},
            {"went": "no"},
            True,
        ),
        ({"not": {"question": "went", "equals": "yes"}}, {"went": "no"}, True),
        ({"not": {"question": "went", "equals": "yes"}}, {"went": "yes"}, False),
        ({"question": "went", "answered": False}, {}, True),
    ],
)
def test_condition_combinations(condition, answers, shown):
    questionnaire = _chain(condition)
    assert ("third" in [q.id for q in visible_questions(questionnaire, answers)]) is shown


# -- answers ----------------------------------------------------------------------------------


def test_required_applies_only_to_visible_questions():
    questionnaire = parse_definition(base())
    assert validate_answers(questionnaire, {"went": "no", "score": 3}) == {}
    errors = validate_answers(questionnaire, {"went": "yes", "score": 3})
    assert errors == {"why": "Câu này cần được trả lời."}
    assert validate_answers(questionnaire, {"went": "no"}) == {"score": "Câu này cần được trả lời."}


def test_answers_to_hidden_questions_are_dropped_not_rejected():
    questionnaire = parse_definition(base())
    check = clean_answers(questionnaire, {"went": "no", "why": ["work"], "score": 4})
    assert check.is_valid
    assert "why" not in check.values
    assert check.dropped == ("why",)


def test_answers_are_cleaned_to_their_types():
    questionnaire = parse_definition(base())
    check = clean_answers(
        questionnaire,
        {
            "went": "yes",
            "why": ["other", "work"],
            "score": "2",
            "age": "70",
            "visits": "1,5",
            "note": "  ổn  ",
            "hamlet": "thon-3",
        },
    )
    assert check.errors == {}
    assert check.values == {
        "went": "yes",
        "why": ["work", "other"],  # the questionnaire's order
        "score": 2,
        "age": 70,
        "visits": 1.5,
        "note": "ổn",
        "hamlet": "thon-3",
    }


@pytest.mark.parametrize(
    ("answers", "question", "message"),
    [
        ({"went": "maybe"}, "went", "“maybe” không phải là một lựa chọn của câu này."),
        ({"went": "yes", "why": ["work", "family", "other"]}, "why", "Chọn nhiều nhất 2"),
        ({"went": "yes", "why": ["boat"]}, "why", "“boat” không phải là một lựa chọn"),
        ({"score": 5}, "score", "Hãy chọn một mức từ 1 đến 4."),
        ({"score": True}, "score", "Hãy chọn một mức từ 1 đến 4."),
        ({"age": 30.5}, "age", "Hãy nhập một số nguyên."),
        ({"age": "mười"}, "age", "Hãy nhập một số."),
        ({"age": 12}, "age", "Số phải từ 16 trở lên."),
        ({"age": 121}, "age", "Số phải không quá 120."),
        ({"age": "1e999999999"}, "age", "Số quá lớn."),
        ({"age": 10**400}, "age", "Số quá lớn."),
        ({"age": float("inf")}, "age", "Hãy nhập một số."),
        ({"age": "1" * 40}, "age", "Hãy nhập một số."),
        ({"note": "x" * 21}, "note", "Câu trả lời dài quá: tối đa 20 ký tự, đang có 21."),
        ({"note": 7}, "note", "Hãy viết câu trả lời bằng chữ."),
        ({"ghost": "x"}, "ghost", "Phiếu không có câu hỏi này."),
    ],
)
def test_bad_answers_are_reported_by_question_id(answers, question, message):
    questionnaire = parse_definition(base())
    errors = validate_answers(questionnaire, {"score": 3, **answers})
    assert errors[question].startswith(message)


def test_campaign_supplied_options_are_checked_when_given():
    questionnaire = parse_definition(base())
    answers = {"score": 3, "hamlet": "thon-9"}
    assert validate_answers(questionnaire, answers) == {}
    errors = validate_answers(questionnaire, answers, choices={"hamlets": ["thon-1", "thon-2"]})
    assert set(errors) == {"hamlet"}


def test_an_invalid_answer_does_not_open_the_questions_that_depend_on_it():
    questionnaire = parse_definition(base())
    check = clean_answers(questionnaire, {"score": 9, "visits": 3})
    assert "score" in check.errors
    assert "visits" not in [q.id for q in check.visible]


def test_satisfaction_answers_feed_the_index():
    sipas = shipped_questionnaire("sipas-xa")
    question = sipas.question("officials_satisfaction")
    answers = [4, 4, 3, 2, 1, 3, 3, 4, 3, 3]
    counts = Counter(question.index_key(answer) for answer in answers)
    index = satisfaction_index(counts)
    assert (index.n, index.positive) == (10, 8)
    assert question.index_mapping() == {
        1: "dissatisfied",
        2: "neutral",
        3: "satisfied",
        4: "very_satisfied",
    }


# -- robustness: any JSON in any place gives DefinitionError, never a crash -------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _nodes(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _nodes(child, (*path, i))


BASE_NODES = [path for path in _nodes(base()) if path]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BASE_NODES), json_values)
def test_any_value_anywhere_is_either_valid_or_a_definition_error(path, value):
    data = base()
    _set(data, path, value)
    try:
        parse_definition(data)
    except DefinitionError as error:
        assert error.problems
        assert all(isinstance(problem.path, str) for problem in error.problems)


ANSWER_IDS = ["went", "why", "score", "age", "visits", "note", "hamlet", "ghost"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(ANSWER_IDS), json_values, max_size=8))
def test_any_answers_give_errors_by_question_never_a_crash(answers):
    questionnaire = parse_definition(base())
    check = clean_answers(questionnaire, answers)
    assert set(check.errors) <= set(ANSWER_IDS)
    assert set(check.values) <= {q.id for q in check.visible}
    assert not set(check.values) & set(check.errors)
