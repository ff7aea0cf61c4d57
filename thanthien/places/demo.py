"""Demo data of the places app: the hamlets of the demo commune."""

from thanthien.core.demo import DemoContext, vietnamese_name
from thanthien.places.models import Hamlet

# The commune's plan (seed 002) names no hamlets: these are plausible, invented names.
DEMO_HAMLETS = [
    "Thôn Đông",
    "Thôn Đoài",
    "Thôn Trung",
    "Thôn Nam",
    "Thôn Bắc",
    "Thôn Tân Lập",
    "Thôn Phúc Lâm",
    "Thôn Minh Tân",
    "Thôn Cẩm Hoàn",
    "Thôn Hòa Liễu",
    "Thôn Kim Sơn",
    "Thôn Lãm Khê",
]


def hamlets_load(ctx: DemoContext) -> None:
    """The hamlets with their heads and household counts."""
    fake = ctx.faker("places.hamlets")
    for order, name in enumerate(DEMO_HAMLETS, start=1):
        head_name = vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=70))
        household_count = fake.random_int(min=180, max=640)
        hamlet, created = Hamlet.objects.get_or_create(
            commune=ctx.commune,
            name=name,
            defaults={
                "kind": Hamlet.Kind.THON,
                "head_name": head_name,
                "household_count": household_count,
                "order": order * 10,
            },
        )
        ctx.count("thôn", created)
        ctx.records.setdefault("hamlets", []).append(hamlet)
