"""Demo data of the people app: offices, officials and the staff logins of the demo commune."""

from dataclasses import dataclass

from thanthien.core.demo import DemoContext, DemoLogin, mobile_number, vietnamese_name
from thanthien.people.models import Office, Official, Position, User
from thanthien.people.reference_data import read_positions
from thanthien.people.roles import Role
from thanthien.people.services import commune_offices_setup

VP = "Văn phòng HĐND và UBND"
KT = "Phòng Kinh tế"
VHXH = "Phòng Văn hóa – Xã hội"
HCC = "Trung tâm Phục vụ hành chính công"
CA = "Công an xã"
QS = "Ban Chỉ huy quân sự"
MT = "Ủy ban MTTQ Việt Nam"

# The seats of the demo commune: key, position code, office, a man?, phone published?
# The plan (seed 002) publishes the phones of the Party, Council and Committee leaders and
# of the civil servants on duty; two civil servants here keep theirs private.
DEMO_SEATS = [
    ("secretary", "bi-thu", None, True, True),
    ("deputy_secretary", "pho-bi-thu", None, False, True),
    ("council_chair", "chu-tich-hdnd", VP, True, True),
    ("council_vice_chair", "pho-chu-tich-hdnd", VP, False, True),
    ("chairman", "chu-tich-ubnd", VP, True, True),
    ("vice_chairman_1", "pho-chu-tich-ubnd", VP, True, True),
    ("vice_chairman_2", "pho-chu-tich-ubnd", VP, False, True),
    ("front_chair", "chu-tich-mttq", MT, False, True),
    ("office_chief", "chanh-van-phong", VP, True, True),
    ("economy_head", "truong-phong-kinh-te", KT, True, True),
    ("culture_head", "truong-phong-vhxh", VHXH, False, True),
    ("centre_director", "giam-doc-tt-hcc", HCC, True, True),
    ("centre_deputy", "pho-giam-doc-tt-hcc", HCC, False, True),
    ("police_chief", "truong-cong-an", CA, True, True),
    ("police_deputy", "pho-truong-cong-an", CA, True, True),
    ("military_commander", "chi-huy-truong-quan-su", QS, True, True),
    ("office_clerk", "cong-chuc-van-phong-thong-ke", VP, False, True),
    ("civil_status_1", "cong-chuc-tu-phap-ho-tich", HCC, False, True),
    ("civil_status_2", "cong-chuc-tu-phap-ho-tich", HCC, True, True),
    ("culture_officer_1", "cong-chuc-van-hoa-xa-hoi", VHXH, False, True),
    ("culture_officer_2", "cong-chuc-van-hoa-xa-hoi", VHXH, True, False),
    ("land_officer_1", "cong-chuc-dia-chinh", KT, True, True),
    ("land_officer_2", "cong-chuc-dia-chinh", KT, True, True),
    ("finance_officer", "cong-chuc-tai-chinh-ke-toan", KT, False, True),
    ("centre_specialist", "chuyen-vien", HCC, False, True),
    ("office_specialist", "chuyen-vien", VP, True, False),
    ("police_officer", "can-bo-cong-an", CA, True, True),
]

# A demo password on purpose: `make demo` prints it so a visitor can sign in.
DEMO_PASSWORD = "kienminh-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    label: str
    username: str
    role: str
    official_key: str | None  # None: a province account


DEMO_ACCOUNTS = [
    DemoAccount("Quản trị viên của xã", "admin.kienminh", Role.COMMUNE_ADMIN, "office_chief"),
    DemoAccount(
        "Lãnh đạo xã (Chủ tịch UBND)",
        "lanhdao.kienminh",
        Role.COMMUNE_LEADER,
        "chairman",
    ),
    DemoAccount("Công chức xã", "canbo.kienminh", Role.COMMUNE_OFFICIAL, "civil_status_1"),
    DemoAccount(
        "Cán bộ thẩm định của thành phố", "thamdinh.haiphong", Role.PROVINCE_EVALUATOR, None
    ),
]


OFFICE_LOCATIONS = {
    VP: "Tầng 2, nhà A, trụ sở UBND xã",
    KT: "Tầng 2, nhà B, trụ sở UBND xã",
    VHXH: "Tầng 3, nhà B, trụ sở UBND xã",
    HCC: "Tầng 1, nhà A, trụ sở UBND xã",
    CA: "Trụ sở Công an xã, cạnh UBND xã",
    QS: "Tầng 1, nhà C, trụ sở UBND xã",
    MT: "Tầng 3, nhà A, trụ sở UBND xã",
}


def offices_load(ctx: DemoContext) -> None:
    """The default offices of a commune, each with a phone and where to find it."""
    fake = ctx.faker("people.offices")
    offices = {}
    for office in commune_offices_setup(commune=ctx.commune):
        values = {"phone": mobile_number(fake), "location": OFFICE_LOCATIONS.get(office.name, "")}
        # Fill what is blank only: a second run, or an administrator's edit, is left alone.
        blank = {name: value for name, value in values.items() if not getattr(office, name)}
        for name, value in blank.items():
            setattr(office, name, value)
        if blank:
            office.save(update_fields=[*blank, "updated_at"])
        offices[office.name] = office
    ctx.records["offices"] = offices


def officials_load(ctx: DemoContext) -> None:
    """About 27 officials: the leadership and the civil servants of each office."""
    fake = ctx.faker("people.officials")
    offices: dict[str, Office] = ctx.records.get("offices") or {
        office.name: office for office in Office.objects.filter(commune=ctx.commune)
    }
    positions = {}
    # A migration creates the positions, but a flushed test database has lost them.
    for row in read_positions():
        fields = {name: value for name, value in row.items() if name != "code"}
        positions[row["code"]], _created = Position.objects.get_or_create(
            code=row["code"], defaults=fields
        )
    names: set[str] = set()
    phones: set[str] = set()
    officials: dict[str, Official] = {}
    for number, (key, code, office_name, male, published) in enumerate(DEMO_SEATS, start=1):
        name = vietnamese_name(fake, male=male)
        while name in names:
            name = vietnamese_name(fake, male=male)
        names.add(name)
        phone = mobile_number(fake)
        while phone in phones:
            phone = mobile_number(fake)
        phones.add(phone)
        official, created = Official.objects.get_or_create(
            commune=ctx.commune,
            full_name=name,
            position=positions[code],
            defaults={
                "office": offices.get(office_name) if office_name else None,
                "phone": phone,
                "phone_published": published,
                "badge_number": f"KM-{number:03d}",
                "order": number,
            },
        )
        ctx.count("cán bộ", created)
        officials[key] = official
    ctx.records["officials"] = officials


def logins_load(ctx: DemoContext) -> None:
    """A commune administrator, a leader, an official and a province evaluator."""
    officials: dict[str, Official] = ctx.records["officials"]
    for account in DEMO_ACCOUNTS:
        official = officials[account.official_key] if account.official_key else None
        scope = (
            {"commune": ctx.commune, "official": official}
            if official
            else {"province": ctx.commune.province}
        )
        full_name = official.full_name if official else "Phạm Thu Hằng"
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"full_name": full_name, "role": account.role, **scope},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        ctx.count("tài khoản", created)
        ctx.logins.append(DemoLogin(account.label, account.username, DEMO_PASSWORD))
