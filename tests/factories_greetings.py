"""Factories for greetings (letters app), news posts and the pledge (portal app)."""

from datetime import date, time

import factory
from django.utils import timezone

from tests.factories import CommuneFactory, HamletFactory
from thanthien.letters.greetings import BroadcastSlot, Greeting, GreetingOccasion, HolidayKind
from thanthien.portal.posts import Pledge, Post


class GreetingOccasionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GreetingOccasion

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Lễ hội làng số {n}")
    month = 3
    day = 15


class GreetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Greeting

    commune = factory.SubFactory(CommuneFactory)
    holiday_key = factory.Sequence(lambda n: f"test-{n}")
    kind = HolidayKind.NATIONAL_DAY
    holiday_name = "Ngày Quốc khánh 2/9"
    holiday_date = date(2026, 9, 2)
    year = 2026
    title = factory.Sequence(lambda n: f"Thư chúc mừng Quốc khánh số {n}")
    body = "Kính gửi toàn thể bà con nhân dân!"


class BroadcastSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BroadcastSlot

    commune = factory.SubFactory(CommuneFactory)
    greeting = factory.SubFactory(GreetingFactory, commune=factory.SelfAttribute("..commune"))
    hamlet = factory.SubFactory(HamletFactory, commune=factory.SelfAttribute("..commune"))
    date = date(2026, 9, 1)
    time = time(17, 0)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    commune = factory.SubFactory(CommuneFactory)
    title = factory.Sequence(lambda n: f"Tin bài số {n}")
    slug = factory.Sequence(lambda n: f"tin-bai-so-{n}")
    summary = "Tóm tắt tin bài."
    body = "Đoạn thứ nhất.\n\nĐoạn thứ hai."
    published_at = factory.LazyFunction(timezone.now)
    is_published = True


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge
        django_get_or_create = ("commune",)

    commune = factory.SubFactory(CommuneFactory)
    title = "Cam kết của xã"
    intro = "Cán bộ xã cam kết:"
    items = "Đón tiếp niềm nở\nGiải quyết đúng hẹn"
