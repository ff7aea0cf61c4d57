"""Writes about places: loading the official divisions, importing hamlets."""

from collections import Counter
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from vietnam_provinces import Province as VnProvince
from vietnam_provinces import VietNamDivisionType
from vietnam_provinces import Ward as VnWard

from thanthien.core import tenancy
from thanthien.core.tabular import ImportReport
from thanthien.core.text import fold, slugify_vi
from thanthien.places.imports import (
    HamletRow,
    ImportFileError,
    name_key,
    read_hamlet_rows,
)
from thanthien.places.models import Commune, Hamlet, Province

WARD_TYPES = {
    VietNamDivisionType.XA: Commune.DivisionType.XA,
    VietNamDivisionType.PHUONG: Commune.DivisionType.PHUONG,
    VietNamDivisionType.DAC_KHU: Commune.DivisionType.DAC_KHU,
}
PROVINCE_FIELDS = ("name", "division_type", "codename", "slug")
COMMUNE_FIELDS = ("name", "division_type", "province_id", "codename", "slug", "search_name")
BATCH_SIZE = 500


@dataclass(frozen=True)
class DivisionsReport:
    provinces: int
    communes: int
    created: int
    updated: int

    def summary(self) -> str:
        return _(
            "%(provinces)d tỉnh, %(communes)d xã/phường/đặc khu: "
            "%(created)d thêm mới, %(updated)d cập nhật"
        ) % {
            "provinces": self.provinces,
            "communes": self.communes,
            "created": self.created,
            "updated": self.updated,
        }


def _province_slug(codename: str) -> str:
    return codename.replace("_", "-")


def _commune_slugs(wards: list, province_slugs: dict[int, str]) -> dict[int, str]:
    """Slug by ward code: the name, then the province for every clash, then the code.

    Some names differ only by diacritics within one province (Xã Tân Thành / Xã Tân Thạnh),
    so the province alone does not always separate them; the official code always does.
    """
    base = {int(w.code): slugify_vi(w.name) for w in wards}
    clashes = Counter(base.values())
    slugs = {}
    for w in wards:
        code, slug = int(w.code), base[int(w.code)]
        if clashes[slug] > 1:
            slug = f"{slug}-{province_slugs[int(w.province_code)]}"
        slugs[code] = slug
    clashes = Counter(slugs.values())
    slugs = {code: slug if clashes[slug] == 1 else f"{slug}-{code}" for code, slug in slugs.items()}
    if len(set(slugs.values())) != len(slugs):  # pragma: no cover - guards a future data change
        raise ValueError("commune slugs are not unique")
    return slugs


def _sync(model, wanted: dict[int, dict], fields: tuple[str, ...]) -> tuple[int, int, dict]:
    """Create the missing rows and update the changed ones, keyed by official code."""
    existing = {obj.code: obj for obj in model.objects.all()}
    now = timezone.now()
    to_create, to_update = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
            continue
        if any(getattr(obj, name) != values[name] for name in fields):
            for name in fields:
                setattr(obj, name, values[name])
            obj.updated_at = now
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=BATCH_SIZE)
    pks = dict(model.objects.filter(code__in=wanted).values_list("code", "pk"))
    return len(to_create), len(to_update), pks


@transaction.atomic
def divisions_load() -> DivisionsReport:
    """Bring places.Province and places.Commune in line with the `vietnam_provinces` package."""
    provinces = list(VnProvince.iter_all())
    wards = list(VnWard.iter_all())
    province_slugs = {int(p.code): _province_slug(p.codename) for p in provinces}
    province_created, province_updated, province_pks = _sync(
        Province,
        {
            int(p.code): {
                "name": p.name,
                "division_type": p.division_type.value,
                "codename": p.codename,
                "slug": province_slugs[int(p.code)],
            }
            for p in provinces
        },
        PROVINCE_FIELDS,
    )
    slugs = _commune_slugs(wards, province_slugs)
    commune_created, commune_updated, _pks = _sync(
        Commune,
        {
            int(w.code): {
                "name": w.name,
                "division_type": WARD_TYPES[w.division_type],
                "province_id": province_pks[int(w.province_code)],
                "codename": w.codename,
                "slug": slugs[int(w.code)],
                # bulk_create skips Commune.save, which would set this.
                "search_name": fold(w.name),
            }
            for w in wards
        },
        COMMUNE_FIELDS,
    )
    return DivisionsReport(
        provinces=len(provinces),
        communes=len(wards),
        created=province_created + commune_created,
        updated=province_updated + commune_updated,
    )


def _apply(hamlet: Hamlet, row: HamletRow) -> bool:
    """Copy the row onto the hamlet; True when anything changed."""
    values = {
        "name": row.name,
        "kind": row.kind,
        "head_name": row.head_name,
        "household_count": row.household_count,
    }
    changed = any(getattr(hamlet, key) != value for key, value in values.items())
    for key, value in values.items():
        setattr(hamlet, key, value)
    return changed


@transaction.atomic
def hamlets_import(*, commune: Commune, file: BinaryIO, filename: str, user) -> ImportReport:
    """Create or update the commune's hamlets from an XLSX or CSV list; bad rows are reported."""
    if not user.has_perm("places.add_hamlet") or not tenancy.can_see_commune(user, commune.pk):
        raise PermissionDenied
    report = ImportReport()
    try:
        rows, report.errors = read_hamlet_rows(file, filename)
    except ImportFileError as exc:
        report.file_error = str(exc)
        return report

    existing = {
        name_key(h.name): h for h in Hamlet.objects.select_for_update().filter(commune=commune)
    }
    next_order = max((h.order for h in existing.values()), default=0) + 1
    to_create, to_update = [], []
    for row in rows:
        hamlet = existing.get(name_key(row.name))
        if hamlet is None:
            hamlet = Hamlet(commune=commune, order=min(next_order, 32767))
            next_order += 1
            _apply(hamlet, row)
            to_create.append(hamlet)
        elif _apply(hamlet, row):
            to_update.append(hamlet)
        else:
            report.unchanged += 1
    # Row by row, not in bulk: each save leaves its own audit-log entry (a commune has tens).
    for hamlet in (*to_create, *to_update):
        hamlet.save()
    report.created = len(to_create)
    report.updated = len(to_update)
    return report
