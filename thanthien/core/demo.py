"""The demo commune: Xã Kiến Minh, Hải Phòng, loaded by `manage.py load_demo`.

Each app contributes steps in its own `demo.py`; a step is a function taking the
`DemoContext` and writing its app's data for the demo commune. A step must be idempotent
(get_or_create on natural keys, never a blind create) and deterministic (draw every value
from `ctx.faker(<step name>)`, seeded per step so adding a step never changes the others).
A later feature adds its step's dotted path to `DEMO_STEPS`, after the steps whose data it needs.
"""

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.module_loading import import_string
from faker import Faker

from thanthien.places.models import Commune

DEMO_COMMUNE_CODE = 11725  # Xã Kiến Minh, Thành phố Hải Phòng
DEMO_SEED = 2026
STAFF_URL = "http://127.0.0.1:8000/staff/"


@dataclass(frozen=True)
class DemoLogin:
    label: str
    username: str
    password: str


@dataclass
class DemoContext:
    """What the steps share: the commune, seeded fakers, records later steps need, logins."""

    commune: Commune
    records: dict[str, object] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    def faker(self, name: str) -> Faker:
        """A Vietnamese Faker seeded from the step's name: same values on every run."""
        fake = Faker("vi_VN")
        fake.seed_instance(DEMO_SEED + zlib.crc32(name.encode()))
        return fake

    def count(self, label: str, created: bool | int) -> None:
        """Tally what a step created, for the command's summary (0 on a second run)."""
        self.created[label] = self.created.get(label, 0) + int(created)


# Prefixes of Vietnamese mobile networks (Viettel, VinaPhone, MobiFone).
MOBILE_PREFIXES = [
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094",
    "070", "076", "077", "078", "079", "089", "090", "093",
]  # fmt: skip
MALE_MIDDLE_NAMES = ["Văn", "Đức", "Quang", "Hữu", "Minh", "Xuân", "Thế", "Tiến", "Công"]
FEMALE_MIDDLE_NAMES = ["Thị", "Thu", "Ngọc", "Thanh", "Thị Thu", "Hồng", "Minh"]
# Faker's Vietnamese surnames are few; these are common ones too, in Hải Phòng as elsewhere.
MORE_SURNAMES = ["Đỗ", "Ngô", "Phan", "Đinh", "Vương", "Cao", "Lương", "Tô", "Nguyễn", "Trần"]


def vietnamese_name(fake: Faker, *, male: bool) -> str:
    """Family name, middle name, given name, in the Vietnamese order."""
    middles = MALE_MIDDLE_NAMES if male else FEMALE_MIDDLE_NAMES
    given = fake.first_name_male() if male else fake.first_name_female()
    middle = fake.random_element([m for m in middles if m != given])
    surnames = [fake.last_name(), fake.random_element(MORE_SURNAMES)]
    surname = surnames[0] if fake.boolean(chance_of_getting_true=70) else surnames[1]
    if surname == given:  # "Hoàng … Hoàng" reads oddly
        surname = next(s for s in MORE_SURNAMES if s != given)
    return f"{surname} {middle} {given}"


def mobile_number(fake: Faker) -> str:
    """A 10-digit Vietnamese mobile number: a network prefix and seven digits."""
    return fake.random_element(MOBILE_PREFIXES) + fake.numerify("#######")


# Dotted paths, so the core app does not import the domain apps at start-up.
DEMO_STEPS: list[str] = [
    "thanthien.places.demo.hamlets_load",
    "thanthien.people.demo.offices_load",
    "thanthien.people.demo.officials_load",
    "thanthien.portal.demo.profile_load",
    "thanthien.portal.demo.reception_load",
    "thanthien.portal.demo.conduct_load",
    "thanthien.onestop.demo.catalogue_load",
    "thanthien.onestop.demo.volunteers_load",
    "thanthien.people.demo.logins_load",
    # After the catalogue and the logins: the dossiers' procedures and the accounts that moved them.
    "thanthien.onestop.demo.dossiers_load",
    # After the dossiers: their ratings and letters; the campaign asks the same residents.
    "thanthien.surveys.demo.ratings_load",
    "thanthien.surveys.demo.campaign_load",
    "thanthien.letters.demo.letters_load",
    # Feedback (issue 4): after the hamlets, offices, reception slots and logins.
    "thanthien.feedback.demo.config_load",
    "thanthien.feedback.demo.items_load",
    "thanthien.feedback.demo.complaints_load",
    "thanthien.feedback.demo.reception_load",
    "thanthien.feedback.demo.dialogues_load",
]


def demo_load() -> DemoContext:
    """Load the administrative divisions, then run every demo step for Kiến Minh."""
    from thanthien.places.services import divisions_load

    divisions_load()
    with transaction.atomic():
        ctx = DemoContext(
            commune=Commune.objects.select_related("province").get(code=DEMO_COMMUNE_CODE)
        )
        for path in DEMO_STEPS:
            step: Callable[[DemoContext], None] = import_string(path)
            step(ctx)
    return ctx
