"""One commune never sees or changes another's data; one province never sees another's.

This test walks the whole system, not a list written by hand:
- every model with a `commune` field (a new app's models join automatically, and the test
  fails until tests/factories.py can build one);
- every object URL of every ModelAdmin registered on the admin site;
- every URL of the staff workspace (thanthien.core.staff_urls): pages without arguments must
  not show another commune's records; pages with a `pk` must answer 404 or 403 for them,
  and must be registered in thanthien.core.staff.SCOPED_VIEWS to say which model `pk` names.
"""

import re

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    FACTORIES,
    CommuneGroupFactory,
    HamletFactory,
    UserFactory,
)
from thanthien.core import tenancy
from thanthien.core.staff import SCOPED_VIEWS
from thanthien.people.roles import Role

GLOBAL_MODELS = tenancy.SHARED_REFERENCE_MODELS

DENIED = {403, 404}

COMMUNE_ATTACKERS = [Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN]
PROVINCE_ATTACKERS = [Role.PROVINCE_EVALUATOR, Role.PROVINCE_ADMIN]


def commune_scoped_models():
    return [
        m
        for m in apps.get_models()
        if any(
            f.name == "commune"
            and getattr(f.related_model, "_meta", None)
            and f.related_model._meta.label == "places.Commune"
            for f in m._meta.get_fields()
        )
    ]


def sample_of(label: str, commune):
    """One record of `label` that belongs to `commune` (the victim)."""
    if label == "places.Commune":
        return commune
    if label == "places.CommuneGroup":
        group = CommuneGroupFactory(province=commune.province)
        group.communes.add(commune)
        return group
    if label == "people.User":
        return UserFactory(role=Role.COMMUNE_ADMIN, commune=commune)
    if label == "auditlog.LogEntry":
        return LogEntry.objects.get_for_object(HamletFactory(commune=commune)).get()
    factory = FACTORIES.get(label)
    assert factory is not None, f"tests/factories.py has no factory for {label}: add one"
    return factory(commune=commune)


@pytest.fixture(params=COMMUNE_ATTACKERS + PROVINCE_ATTACKERS)
def attacker(request, make_user, commune_a, province_p):
    """A user of commune A (in province P), or of province P; the victim is commune B in Q."""
    role = request.param
    if role in PROVINCE_ATTACKERS:
        return make_user(role, province=province_p)
    return make_user(role, commune=commune_a)


def test_every_commune_scoped_model_has_a_factory():
    missing = [m._meta.label for m in commune_scoped_models() if m._meta.label not in FACTORIES]
    assert not missing, f"add factories for: {missing}"


@pytest.mark.django_db
def test_selectors_never_return_another_communes_rows(attacker, commune_a, commune_b):
    for model in commune_scoped_models():
        own = sample_of(model._meta.label, commune_a)
        theirs = sample_of(model._meta.label, commune_b)
        visible = tenancy.scope(model._default_manager.all(), attacker)
        assert theirs.pk not in set(visible.values_list("pk", flat=True)), model._meta.label
        assert own.pk in set(visible.values_list("pk", flat=True)), model._meta.label


def admin_object_urls(model_admin, pk) -> list[str]:
    urls = []
    for pattern in model_admin.urls:
        keys = set(pattern.pattern.converters)
        if keys & {"object_id", "id"} and pattern.name:
            key = "object_id" if "object_id" in keys else "id"
            urls.append(reverse(f"admin:{pattern.name}", kwargs={key: pk}))
    return urls


def assert_denied(response, url):
    if response.status_code == 302:
        # The admin sends a signed-in user without admin access to its login page.
        assert response["Location"].startswith(reverse("admin:login")), url
        return
    assert response.status_code in DENIED, f"{url} answered {response.status_code}"


@pytest.mark.django_db
def test_admin_hides_and_protects_another_communes_records(client, attacker, commune_b):
    client.force_login(attacker)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label in GLOBAL_MODELS:
            continue
        victim = sample_of(label, commune_b)
        before = model._default_manager.filter(pk=victim.pk).count()
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(changelist)
        if response.status_code == 200:
            shown = {obj.pk for obj in response.context["cl"].result_list}
            assert victim.pk not in shown, f"{attacker.role} lists {label} of another commune"
        for url in admin_object_urls(model_admin, victim.pk):
            assert_denied(client.get(url), url)
            assert_denied(client.post(url, {"post": "yes"}), url)
        assert model._default_manager.filter(pk=victim.pk).count() == before, label


def staff_patterns():
    """(url name, URLPattern) for every page of the staff workspace."""
    staff = get_resolver().namespace_dict["staff"][1]

    def walk(patterns, prefix="staff:"):
        for p in patterns:
            if isinstance(p, URLResolver):
                # A nested namespace (staff:feedback:…) adds its name to the URL names.
                yield from walk(
                    p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix
                )
            elif isinstance(p, URLPattern) and p.name:
                yield f"{prefix}{p.name}", p

    return list(walk(staff.url_patterns))


def reprs_of(objs) -> list[str]:
    return [str(o) for o in objs if len(str(o)) >= 4]


@pytest.mark.django_db
def test_staff_pages_never_show_or_touch_another_communes_records(client, attacker, commune_b):
    victims = [commune_b] + [
        sample_of(m._meta.label, commune_b)
        for m in commune_scoped_models()
        if m._meta.label not in GLOBAL_MODELS
    ]
    client.force_login(attacker)
    for name, pattern in staff_patterns():
        kwargs = set(pattern.pattern.converters)
        if name in {"staff:logout"}:
            continue
        if not kwargs:
            response = client.get(reverse(name))
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and re.match(r"text/(html|csv|plain)", content_type):
                page = response.content.decode()
                for text in reprs_of(victims):
                    assert text not in page, f"{name} shows {text!r} of another commune"
            continue
        assert kwargs == {"pk"}, f"{name}: staff URLs with {kwargs} need a tenancy rule here"
        assert name in SCOPED_VIEWS, f"{name}: register its model in core.staff.SCOPED_VIEWS"
        victim = sample_of(SCOPED_VIEWS[name], commune_b)
        url = reverse(name, kwargs={"pk": victim.pk})
        assert client.get(url).status_code in DENIED, url
        assert client.post(url, {}).status_code in DENIED, url


@pytest.mark.django_db
def test_province_evaluator_sees_every_commune_of_their_province_only(make_user, province_p):
    from tests.factories import CommuneFactory
    from thanthien.core.tenancy import visible_communes

    mine = CommuneFactory.create_batch(3, province=province_p)
    CommuneFactory.create_batch(2)  # other provinces
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    assert set(visible_communes(evaluator)) == set(mine)


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login_from_every_staff_page(client):
    for name, pattern in staff_patterns():
        if name in {"staff:login", "staff:logout"}:
            continue
        kwargs = {k: 1 for k in pattern.pattern.converters}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("staff:login")), name
