"""Demo data of the portal: the commune's public profile, reception schedule and conduct."""

from datetime import time

from thanthien.core.demo import DemoContext, mobile_number
from thanthien.portal.models import CommuneProfile, ReceptionSlot
from thanthien.portal.services import conduct_items_setup

RECEPTION_PLACE = "Phòng tiếp công dân, tầng 1 nhà A, trụ sở UBND xã Kiến Minh"
RECEPTION_RULES = "\n".join(
    [
        "Công dân đến tiếp xúc mang theo giấy tờ tùy thân (căn cước).",
        "Trình bày trung thực sự việc, cung cấp thông tin, tài liệu liên quan.",
        "Giữ trật tự, tôn trọng người tiếp công dân; không mang theo vũ khí, chất dễ cháy nổ.",
        "Nhiều người cùng một nội dung thì cử người đại diện để trình bày.",
        "Người tiếp công dân có thái độ đúng mực, lắng nghe và hướng dẫn tận tình.",
    ]
)

# (official key from people.demo.DEMO_SEATS, weekday, from, to)
DEMO_RECEPTION = [
    ("chairman", ReceptionSlot.Weekday.THURSDAY, time(7, 30), time(11, 30)),
    ("vice_chairman_1", ReceptionSlot.Weekday.TUESDAY, time(13, 30), time(17, 0)),
]


def profile_load(ctx: DemoContext) -> None:
    """Address, hotline and the feedback channels the plan (seed 002) asks for."""
    fake = ctx.faker("portal.profile")
    hotline = mobile_number(fake)
    _profile, created = CommuneProfile.objects.get_or_create(
        commune=ctx.commune,
        defaults={
            "address": "Trụ sở UBND xã Kiến Minh, thành phố Hải Phòng",
            "intro": (
                "Xã Kiến Minh xây dựng mô hình “Chính quyền thân thiện” năm 2026: "
                "“Trọng dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân”."
            ),
            "hotline": hotline,
            "feedback_email": "gopy.kienminh@haiphong.gov.vn",
            "zalo_url": f"https://zalo.me/{hotline}",
            "facebook_url": "https://www.facebook.com/ubndxakienminh",
            "suggestion_box_location": (
                "Sảnh Trung tâm Phục vụ hành chính công, tầng 1 nhà A, trụ sở UBND xã"
            ),
            "reception_place": RECEPTION_PLACE,
            "reception_rules": RECEPTION_RULES,
        },
    )
    ctx.count("thông tin công khai", created)


def reception_load(ctx: DemoContext) -> None:
    """The weekly reception: the chairman on Thursday mornings, a vice-chairman on Tuesdays."""
    officials = ctx.records["officials"]
    for key, weekday, start, end in DEMO_RECEPTION:
        _slot, created = ReceptionSlot.objects.get_or_create(
            commune=ctx.commune,
            weekday=weekday,
            start_time=start,
            host=officials[key],
            defaults={"end_time": end},
        )
        ctx.count("buổi tiếp công dân", created)


def conduct_load(ctx: DemoContext) -> None:
    """The code of conduct "4 xin, 4 luôn, 5 không" from the portal's default data."""
    ctx.count("quy tắc ứng xử", conduct_items_setup(commune=ctx.commune))
