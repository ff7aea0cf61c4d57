"""The REST API (django-ninja), mounted at /api/v1/: schema at /api/v1/openapi.json,
interactive docs at /api/v1/docs (Swagger UI from ninja's static files, no CDN)."""

from ninja import NinjaAPI, Swagger

from thanthien.notify.api import router as notify_router
from thanthien.onestop.api import router as onestop_router

DESCRIPTION = """\
API mở của Thân Thiện, nền tảng mã nguồn mở cho mô hình Chính quyền thân thiện cấp xã.
Tra cứu tình trạng hồ sơ thủ tục hành chính bằng mã hồ sơ và 4 số cuối điện thoại người nộp;
không trả họ tên đầy đủ (chỉ chữ cái đầu), số điện thoại, địa chỉ hay số căn cước. Giới hạn
số lần tra cứu theo địa chỉ IP.

The open API of Thân Thiện, the open-source platform for friendly commune government in
Viet Nam. Look up the status of an administrative dossier by its code and the last four
digits of the applicant's phone; no full name (initials only), phone, address or ID number
is ever returned. Look-ups are rate-limited per IP address.
"""

api = NinjaAPI(
    title="Thân Thiện API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    # validatorUrl None: Swagger UI would otherwise fetch a badge from an outside validator.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/dossiers", onestop_router)
api.add_router("/notify", notify_router)
