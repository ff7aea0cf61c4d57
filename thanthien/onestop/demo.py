"""Demo data of the one-stop desk: the starter procedure catalogue and a year of dossiers."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from thanthien.core import workdays
from thanthien.core.demo import DemoContext, mobile_number, vietnamese_name
from thanthien.onestop.catalogue import procedures_catalogue_setup
from thanthien.onestop.generate import (
    CommuneSpec,
    DossierGenerator,
    Person,
    generated_dossiers_save,
    procedure_specs,
)
from thanthien.onestop.models import Dossier, Volunteer, VolunteerShift
from thanthien.onestop.volunteer_selectors import week_start_of
from thanthien.people.models import Official, User
from thanthien.places.models import Hamlet


def catalogue_load(ctx: DemoContext) -> None:
    """The common commune-level procedures, from the starter catalogue (only missing codes)."""
    ctx.count("thủ tục hành chính", procedures_catalogue_setup(commune=ctx.commune))


# --- Dossiers ---------------------------------------------------------------------------------

# About eight a working day at a rural commune's desk (a setting makes the tests' demo smaller).
DEMO_DOSSIER_COUNT = 2000
# Who does what in the demo commune (keys of people.demo.DEMO_SEATS).
DESK_SEATS = ("civil_status_1", "civil_status_2", "centre_specialist")
SPECIALIST_SEATS = {
    "ho-tich": ("civil_status_1", "civil_status_2"),
    "chung-thuc": ("civil_status_1", "civil_status_2"),
    "tu-phap-khac": ("civil_status_2",),
    "dat-dai": ("land_officer_1", "land_officer_2"),
    "lao-dong-tbxh": ("culture_officer_1", "culture_officer_2"),
    "": ("office_specialist", "office_clerk"),
}
# The vice chairmen sign most results, the chairman some.
SIGNER_SEATS = ("vice_chairman_1", "vice_chairman_1", "vice_chairman_2", "chairman")
DESK_ACCOUNT = "canbo.kienminh"
LEADER_ACCOUNT = "lanhdao.kienminh"


def dossiers_load(ctx: DemoContext) -> None:
    """About 2,000 dossiers received over the past year, each played forward to now: their
    history, supplements, apology slips and notifications. Laid once: a commune that already
    has dossiers keeps them as they are."""
    if Dossier.objects.filter(commune=ctx.commune).exists():
        ctx.count("hồ sơ", 0)
        return
    count = getattr(settings, "THANTHIEN_DEMO_DOSSIERS", DEMO_DOSSIER_COUNT)
    fake = ctx.faker("onestop.dossiers")
    names = sorted(
        {vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=50)) for _ in range(900)}
    )
    officials: dict[str, Official] = ctx.records["officials"]

    def people(seats) -> tuple[Person, ...]:
        return tuple(Person(officials[s].pk, officials[s].office_id) for s in seats)

    accounts = dict(
        User.objects.filter(username__in=[DESK_ACCOUNT, LEADER_ACCOUNT]).values_list(
            "username", "pk"
        )
    )
    hamlets = Hamlet.objects.filter(commune=ctx.commune).order_by("order", "name")
    where = f"xã {ctx.commune.name.removeprefix('Xã ')}, {ctx.commune.province.name}"
    spec = CommuneSpec(
        id=ctx.commune.pk,
        code=ctx.commune.code,
        name=ctx.commune.name,
        procedures=procedure_specs(commune_ids=[ctx.commune.pk]).get(ctx.commune.pk, ()),
        desk=people(DESK_SEATS),
        specialists={field: people(seats) for field, seats in SPECIALIST_SEATS.items()},
        signers=people(SIGNER_SEATS),
        desk_user_ids=(accounts[DESK_ACCOUNT],),
        leader_user_id=accounts[LEADER_ACCOUNT],
        addresses=tuple(f"{name}, {where}" for name in hamlets.values_list("name", flat=True)),
    )
    generator = DossierGenerator(
        commune=spec, seed=fake.random.getrandbits(32), now=timezone.now(), names=names
    )
    totals = generated_dossiers_save(generator=generator, dossiers=generator.generate(count))
    ctx.count("hồ sơ", totals.get("dossiers", 0))
    ctx.count("tin nhắn", totals.get("messages", 0))


# --- Volunteers at the desk (S1) ----------------------------------------------------------------

Organisation = Volunteer.Organisation
# (union, male?) for each volunteer; the task they usually take at the desk.
DEMO_VOLUNTEERS = [
    (Organisation.YOUTH_UNION, True),
    (Organisation.YOUTH_UNION, False),
    (Organisation.YOUTH_UNION, True),
    (Organisation.WOMEN_UNION, False),
    (Organisation.WOMEN_UNION, False),
    (Organisation.VETERANS, True),
    (Organisation.FARMERS, True),
    (Organisation.FRONT, False),
]
DEMO_TASKS = {
    Organisation.YOUTH_UNION: "Hỗ trợ nộp hồ sơ trực tuyến, cài đặt VNeID",
    Organisation.WOMEN_UNION: "Đón tiếp, hướng dẫn kê khai tờ khai",
    Organisation.VETERANS: "Đón tiếp, hướng dẫn lấy số thứ tự",
    Organisation.FARMERS: "Hướng dẫn kê khai tờ khai",
    Organisation.FRONT: "Đón tiếp, ghi nhận góp ý của người dân",
}
DEMO_ROSTER_WEEKS = 5  # this week and the next four


def volunteers_load(ctx: DemoContext) -> None:
    """Eight union members and volunteers, and a morning and an afternoon turn on every working
    day of this week and the next four. A day's volunteers follow from its date, so a later
    run adds the new weeks' turns and never moves the ones already laid."""
    fake = ctx.faker("onestop.volunteers")
    volunteers: list[Volunteer] = []
    names: set[str] = set()
    for organisation, male in DEMO_VOLUNTEERS:
        name = vietnamese_name(fake, male=male)
        while name in names:
            name = vietnamese_name(fake, male=male)
        names.add(name)
        volunteer, created = Volunteer.objects.get_or_create(
            commune=ctx.commune,
            name=name,
            defaults={"organisation": organisation, "phone": mobile_number(fake)},
        )
        ctx.count("tình nguyện viên", created)
        volunteers.append(volunteer)

    first = week_start_of(timezone.localdate())
    last = first + timedelta(weeks=DEMO_ROSTER_WEEKS, days=-1)
    days_off = workdays.non_working_days(first, last)
    periods = (VolunteerShift.Period.MORNING, VolunteerShift.Period.AFTERNOON)
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day in days_off:
            continue
        for turn, period in enumerate(periods):
            volunteer = volunteers[(2 * day.toordinal() + turn) % len(volunteers)]
            _shift, created = VolunteerShift.objects.get_or_create(
                commune=ctx.commune,
                day=day,
                period=period,
                volunteer=volunteer,
                defaults={"task": DEMO_TASKS[volunteer.organisation]},
            )
            ctx.count("ca trực tình nguyện", created)
