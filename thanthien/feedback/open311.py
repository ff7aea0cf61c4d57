"""Open311 GeoReport v2 (JSON) at /open311/v2/, with its own OpenAPI schema at
/open311/v2/openapi.json: http://wiki.open311.org/GeoReport_v2

- GET  services.json                      a service per feedback category
- GET  services/{service_code}.json       its definition (no extra attributes)
- POST requests.json                      a new service request (form-encoded or JSON)
- GET  requests.json                      service requests, filtered, at most 1000
- GET  requests/{service_request_id}.json one service request

jurisdiction_id is the commune's code; it may be left out while the site serves a single
commune. Errors are the spec's array, e.g. [{"code": 404, "description": "..."}].
"""

import hmac
import ipaddress
import json
import re
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Query, Schema, Status, Swagger
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from thanthien.core.ratelimit import client_ip, hit
from thanthien.feedback.categories import categories, category
from thanthien.feedback.open311_services import (
    RequestFilter,
    aware_local,
    open311_notice,
    open311_request,
    open311_request_out,
    open311_request_submit,
    open311_requests,
)

DESCRIPTION = """\
Open311 GeoReport v2 cho góp ý, phản ánh, kiến nghị của người dân gửi đến UBND xã.
`jurisdiction_id` là mã xã; mỗi lĩnh vực góp ý là một dịch vụ (`service_code`). Dữ liệu trả
về không bao giờ có họ tên, số điện thoại, thư điện tử hay địa chỉ của người gửi; nội dung
chỉ hiện khi xã đã công khai câu trả lời. Gửi phản ánh mới được giới hạn theo địa chỉ IP;
gửi lại cùng `Idempotency-Key` trả về cùng một mã.

Open311 GeoReport v2 for residents' feedback to the commune. `jurisdiction_id` is the
commune code; each feedback category is a service. No sender's name, phone, email or address
is ever returned; the matter in words only once the commune has published its answer. New
requests are rate-limited per IP; the same `Idempotency-Key` returns the same request id.
"""

CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
KEY_PATTERN = r"^[!-~]{1,100}$"  # visible ASCII
KEY_RE = re.compile(KEY_PATTERN)
MAX_COMMUNE_CODE = 2**31 - 1
MIN_YEAR, MAX_YEAR = 1970, 2200

open311_api = NinjaAPI(
    title="Thân Thiện Open311 GeoReport v2",
    version="2",
    description=DESCRIPTION,
    urls_namespace="open311",
    docs=Swagger(settings={"validatorUrl": None}),
)


class ErrorOut(Schema):
    code: int
    description: str


ERRORS = list[ErrorOut]


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str
    group: str


class AttributeOut(Schema):
    variable: bool
    code: str
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str


class ServiceDefinitionOut(Schema):
    service_code: str
    attributes: list[AttributeOut]


class RequestCreatedOut(Schema):
    service_request_id: str
    service_notice: str
    account_id: str | None


class RequestOut(Schema):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str
    service_name: str
    service_code: str | None
    description: str
    agency_responsible: str
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


def request_in_schema() -> dict:
    """RequestIn as the OpenAPI body: a form has no null, so an optional field is just its
    type; a location is needed (lat and long, or address_string), as the spec says."""
    schema = RequestIn.model_json_schema()
    for name, prop in schema["properties"].items():
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if options:
            prop.update(options[0])
        if prop.get("default", 0) is None:
            del prop["default"]
        schema["properties"][name] = prop
    schema["anyOf"] = [{"required": ["lat", "long"]}, {"required": ["address_string"]}]
    return schema


def _text_ok(value):
    """Text the database can store: no NUL character, no lone surrogate."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("invalid character") from exc
    return value


class RequestIn(Schema):
    """POST requests.json (the GeoReport arguments; others such as attribute[] are ignored)."""

    model_config = ConfigDict(extra="ignore")

    jurisdiction_id: str | None = Field(None, max_length=100)
    api_key: str | None = Field(None, max_length=200)
    service_code: str = Field(
        ...,
        min_length=1,
        max_length=40,
        json_schema_extra={"enum": [found.code for found in categories()]},
    )
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    long: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    address_string: str | None = Field(None, max_length=255)
    address_id: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254, json_schema_extra={"format": "email"})
    device_id: str | None = Field(None, max_length=100)
    account_id: str | None = Field(None, max_length=100)
    first_name: str | None = Field(None, max_length=75)
    last_name: str | None = Field(None, max_length=75)
    phone: str | None = Field(None, max_length=20)
    # minLength in the schema only: the service checks the words with the other fields, so
    # a client learns every fault at once.
    description: str | None = Field(None, max_length=5000, json_schema_extra={"minLength": 10})
    media_url: str | None = Field(None, max_length=500, json_schema_extra={"format": "uri"})

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value):
        return _text_ok(value)


class Refusal(Exception):
    """Ends a request with the spec's error array."""

    def __init__(self, code: int, *descriptions: str, retry_after: int | None = None):
        super().__init__(descriptions)
        self.code = code
        self.descriptions = descriptions
        self.retry_after = retry_after


@open311_api.exception_handler(Refusal)
def _refusal(request, exc: Refusal):
    response = open311_api.create_response(
        request,
        [{"code": exc.code, "description": text} for text in exc.descriptions],
        status=exc.code,
    )
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@open311_api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    described = [
        {"code": 400, "description": f"{_where(e.get('loc', ()))}: {e.get('msg', '')}"}
        for e in exc.errors
    ]
    return open311_api.create_response(request, described, status=400)


def _where(loc) -> str:
    parts = [str(part) for part in loc if part not in ("query", "path", "header", "body")]
    return ".".join(parts) or "request"


def _commune(jurisdiction_id: str | None):
    """The commune named by jurisdiction_id; the only one when it is left out."""
    from thanthien.places.models import Commune

    given = (jurisdiction_id or "").strip()
    if not given:
        communes = list(Commune.objects.order_by("pk")[:2])
        if len(communes) == 1:
            return communes[0]
        raise Refusal(400, _("Cần jurisdiction_id (mã xã)."))
    if given.isascii() and given.isdigit() and len(given) <= 10 and int(given) <= MAX_COMMUNE_CODE:
        found = Commune.objects.filter(code=int(given)).first()
        if found is not None:
            return found
    raise Refusal(404, _("Không có xã với mã %(code)s.") % {"code": given[:20]})


def _service(service_code: str):
    found = category(service_code) if CODE_RE.match(service_code or "") else None
    if found is None:
        raise Refusal(404, _("Không có dịch vụ (lĩnh vực) %(code)s.") % {"code": service_code[:40]})
    return found


def _service_out(found) -> dict:
    return {
        "service_code": found.code,
        "service_name": found.label,
        "description": found.description,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(w for w in (found.name, found.name_en) if w)),
        "group": _("Góp ý, phản ánh, kiến nghị"),
    }


JURISDICTION = Query(
    None,
    description="Mã xã / commune code (bỏ trống khi chỉ có một xã / optional with one commune)",
)

START_DATE = Query(None, description="ISO 8601 (w3c); mặc định 90 ngày trước / default 90 days ago")
END_DATE = Query(None, description="ISO 8601 (w3c); mặc định bây giờ / default now")


@open311_api.get(
    "/services.json",
    response={200: list[ServiceOut], 400: ERRORS, 404: ERRORS},
    operation_id="open311_services",
    summary="Danh sách dịch vụ (lĩnh vực) / Service list",
    tags=["open311"],
)
def services(request, jurisdiction_id: str | None = JURISDICTION):
    _commune(jurisdiction_id)
    return Status(200, [_service_out(found) for found in categories()])


@open311_api.get(
    "/services/{service_code}.json",
    response={200: ServiceDefinitionOut, 400: ERRORS, 404: ERRORS},
    operation_id="open311_service_definition",
    summary="Định nghĩa dịch vụ / Service definition",
    tags=["open311"],
)
def service_definition(request, service_code: str, jurisdiction_id: str | None = JURISDICTION):
    _commune(jurisdiction_id)
    found = _service(service_code)
    return Status(200, {"service_code": found.code, "attributes": []})


def _request_data(request) -> dict:
    """The POST arguments, form-encoded (as the spec says) or JSON; empty values left out."""
    content_type = (request.content_type or "").lower()
    if content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise Refusal(400, _("Nội dung JSON không đọc được.")) from None
        if not isinstance(data, dict):
            raise Refusal(400, _("Nội dung JSON phải là một đối tượng."))
    else:
        data = request.POST.dict()
    if "jurisdiction_id" not in data and request.GET.get("jurisdiction_id"):
        data["jurisdiction_id"] = request.GET["jurisdiction_id"]
    return {key: value for key, value in data.items() if value not in ("", None)}


def _validated(data: dict) -> RequestIn:
    try:
        return RequestIn.model_validate(data)
    except PydanticValidationError as exc:
        raise Refusal(
            400,
            *(
                f"{_where(e.get('loc', ()))}: {e.get('msg', '')}"
                for e in exc.errors(include_url=False)
            ),
        ) from None


def _check_api_key(given: str | None) -> None:
    keys = settings.THANTHIEN_OPEN311_API_KEYS
    if not keys:
        return
    given = (given or "").encode()
    if not any(hmac.compare_digest(given, key.encode()) for key in keys):
        raise Refusal(403, _("api_key không hợp lệ."))


def _check_contacts(data: RequestIn) -> None:
    problems = []
    if data.email:
        try:
            validate_email(data.email)
        except DjangoValidationError:
            problems.append(_("email: địa chỉ thư điện tử không hợp lệ."))
    if data.media_url and not re.match(r"^https?://[^\s]+$", data.media_url):
        problems.append(_("media_url: phải là đường dẫn http:// hoặc https://."))
    if problems:
        raise Refusal(400, *problems)


def _described(exc: DjangoValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


@open311_api.post(
    "/requests.json",
    response={
        200: list[RequestCreatedOut],
        201: list[RequestCreatedOut],
        400: ERRORS,
        403: ERRORS,
        404: ERRORS,
        429: ERRORS,
    },
    operation_id="open311_request_create",
    summary="Gửi phản ánh / Create a service request",
    description=(
        "Gửi một phản ánh (form-encoded theo GeoReport v2, hoặc JSON). Cần vị trí (lat và long, "
        "hoặc address_string) và mô tả. 201: đã tạo; 200: cùng Idempotency-Key với lần trước, "
        "trả lại mã cũ. Có email thì nhận phản hồi qua thư, không thì qua SMS nếu có số điện "
        "thoại.\n\n"
        "Create a service request (form-encoded as GeoReport v2 says, or JSON). A location "
        "(lat and long, or address_string) and a description are needed. 201: created; 200: "
        "the same Idempotency-Key as before, the earlier id. Updates go by email if given, "
        "else by SMS to the phone."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": request_in_schema()},
                "application/json": {"schema": request_in_schema()},
            },
        }
    },
    tags=["open311"],
)
def request_create(
    request,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        pattern=KEY_PATTERN,
        description="Khoá chống gửi trùng / a key that makes a retry return the same request",
    ),
):
    if idempotency_key is not None and not KEY_RE.match(idempotency_key):
        raise Refusal(400, _("Idempotency-Key: 1–100 ký tự ASCII nhìn thấy được."))
    data = _validated(_request_data(request))
    commune = _commune(data.jurisdiction_id)
    _check_api_key(data.api_key)
    verdict = hit(request, scope="open311", rate=settings.THANTHIEN_OPEN311_RATE)
    if not verdict.allowed:
        raise Refusal(
            429,
            _("Gửi quá nhiều lần. Xin thử lại sau %(seconds)s giây.")
            % {"seconds": verdict.retry_after},
            retry_after=verdict.retry_after,
        )
    _check_contacts(data)
    try:
        submitted = open311_request_submit(
            commune=commune,
            service_code=data.service_code,
            description=data.description or "",
            latitude=data.lat,
            longitude=data.long,
            address_string=data.address_string or "",
            email=data.email or "",
            first_name=data.first_name or "",
            last_name=data.last_name or "",
            phone=data.phone or "",
            media_url=data.media_url or "",
            idempotency_key=idempotency_key or "",
            submitted_ip=_stored_ip(request),
        )
    except DjangoValidationError as exc:
        raise Refusal(400, *_described(exc)) from None
    item = submitted.item
    body = [
        {
            "service_request_id": item.code,
            "service_notice": open311_notice(item),
            "account_id": None,
        }
    ]
    return Status(201 if submitted.created else 200, body)


def _stored_ip(request) -> str | None:
    """The client address if it is one (the rate limit counts "unknown" when there is none)."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def _list(text: str | None, *, pattern=CODE_RE) -> list[str]:
    values = [part.strip() for part in (text or "").split(",") if part.strip()]
    bad = [value for value in values if not pattern.match(value)]
    if bad:
        raise Refusal(400, _("Giá trị không hợp lệ: %(values)s") % {"values": ", ".join(bad)[:200]})
    return values


def _moment(value: datetime | None, name: str) -> datetime | None:
    """An aware datetime (a date without offset is Vietnamese time) within sensible years."""
    if value is None:
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Refusal(
            400,
            _("%(name)s: năm phải trong khoảng %(min)s–%(max)s.")
            % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR},
        )
    return aware_local(value)


@open311_api.get(
    "/requests.json",
    response={200: list[RequestOut], 400: ERRORS, 404: ERRORS},
    operation_id="open311_requests",
    summary="Danh sách phản ánh / Service requests",
    description=(
        "Mặc định 90 ngày gần nhất, tối đa 1000 phản ánh, mới nhất trước. Có service_request_id "
        "thì bỏ qua các điều kiện khác.\n\n"
        "By default the last 90 days, at most 1000, newest first. With service_request_id the "
        "other filters are ignored."
    ),
    tags=["open311"],
)
def requests_list(
    request,
    jurisdiction_id: str | None = JURISDICTION,
    service_request_id: str | None = Query(
        None, max_length=2000, description="Mã, cách nhau bằng dấu phẩy / comma-separated ids"
    ),
    service_code: str | None = Query(None, max_length=500, description="Comma-separated"),
    start_date: datetime | None = START_DATE,
    end_date: datetime | None = END_DATE,
    status: str | None = Query(
        None, pattern=r"^(open|closed)(,(open|closed))*$", description="open, closed"
    ),
):
    commune = _commune(jurisdiction_id)
    start_date, end_date = _moment(start_date, "start_date"), _moment(end_date, "end_date")
    if start_date and end_date and start_date > end_date:
        raise Refusal(400, _("start_date phải trước end_date."))
    wanted = RequestFilter(
        codes=_list(service_request_id),
        service_codes=_list(service_code),
        statuses=_list(status),
        start=start_date,
        end=end_date,
    )
    items = open311_requests(commune=commune, wanted=wanted)
    return Status(200, [open311_request_out(i, absolute=request.build_absolute_uri) for i in items])


@open311_api.get(
    "/requests/{service_request_id}.json",
    response={200: list[RequestOut], 400: ERRORS, 404: ERRORS},
    operation_id="open311_request",
    summary="Một phản ánh / One service request",
    tags=["open311"],
)
def request_detail(request, service_request_id: str, jurisdiction_id: str | None = JURISDICTION):
    commune = _commune(jurisdiction_id)
    item = None
    if CODE_RE.match(service_request_id or ""):
        item = open311_request(commune=commune, code=service_request_id)
    if item is None:
        raise Refusal(404, _("Không có phản ánh mã %(code)s.") % {"code": service_request_id[:40]})
    return Status(200, [open311_request_out(item, absolute=request.build_absolute_uri)])
