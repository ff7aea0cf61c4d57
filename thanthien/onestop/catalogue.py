"""Writes to the procedure catalogue: importing a commune's list, copying the starter catalogue."""

import json
from functools import cache
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thanthien.core import tenancy
from thanthien.core.tabular import ImportFileError, ImportReport
from thanthien.onestop.catalogue_io import DocumentRow, ProcedureRow, read_procedure_rows
from thanthien.onestop.models import Procedure, ProcedureField, RequiredDocument
from thanthien.onestop.reference_data import sync_fields
from thanthien.places.models import Commune

STARTER_CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "starter_catalogue.json"
LINE_FIELDS = ("steps", "legal_basis")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _apply(procedure: Procedure, values: dict) -> bool:
    """Copy the values onto the procedure; True when anything changed."""
    changed = False
    for key, value in values.items():
        current = getattr(procedure, key)
        same = _lines(current) == _lines(value) if key in LINE_FIELDS else current == value
        if not same:
            setattr(procedure, key, value)
            changed = True
    return changed


def _document_rows(procedure: Procedure) -> tuple[DocumentRow, ...]:
    return tuple(
        DocumentRow(
            name=d.name, copies=d.copies, original_required=d.original_required, note=d.note
        )
        for d in procedure.documents.all()
    )


def _replace_documents(procedure: Procedure, documents: tuple[DocumentRow, ...]) -> None:
    # One by one, not in bulk: each delete and save leaves its own audit entry.
    for document in procedure.documents.all():
        document.delete()
    for order, row in enumerate(documents, start=1):
        RequiredDocument(
            procedure=procedure,
            name=row.name,
            copies=row.copies,
            original_required=row.original_required,
            note=row.note,
            order=order,
        ).save()


def _save_row(commune: Commune, existing: dict[str, Procedure], row: ProcedureRow) -> str:
    """Create or update one procedure with its documents: "created", "updated" or "unchanged"."""
    procedure = existing.get(row.code)
    if procedure is None:
        procedure = Procedure(commune=commune, code=row.code, **row.values)
        procedure.save()
        _replace_documents(procedure, row.documents)
        return "created"
    changed = _apply(procedure, row.values)
    if changed:
        procedure.save()
    if _document_rows(procedure) != row.documents:
        _replace_documents(procedure, row.documents)
        changed = True
    return "updated" if changed else "unchanged"


@transaction.atomic
def procedures_import(*, commune: Commune, file: BinaryIO, filename: str, user) -> ImportReport:
    """Create or update the commune's procedures from an XLSX or CSV file, by code.

    Bad rows are reported with their row number while the good ones are saved; documents are
    replaced only when they changed, so importing the same file twice changes nothing.
    """
    if not user.has_perm("onestop.add_procedure") or not tenancy.can_see_commune(user, commune.pk):
        raise PermissionDenied
    report = ImportReport()
    try:
        rows, report.errors = read_procedure_rows(file, filename)
    except ImportFileError as exc:
        report.file_error = str(exc)
        return report
    existing = {
        p.code: p
        for p in Procedure.objects.select_for_update()
        .filter(commune=commune, code__in=[row.code for row in rows])
        .prefetch_related("documents")
    }
    for row in rows:
        outcome = _save_row(commune, existing, row)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


@cache
def _starter_rows() -> tuple[dict, ...]:
    return tuple(json.loads(STARTER_CATALOGUE_PATH.read_text(encoding="utf-8")))


def starter_catalogue() -> list[dict]:
    """The common commune-level procedures, from onestop/data/starter_catalogue.json."""
    return [dict(row) for row in _starter_rows()]


def _starter_row(row: dict, fields: dict[str, ProcedureField]) -> ProcedureRow:
    return ProcedureRow(
        row=0,
        code=row["code"],
        values={
            "name": row["name"],
            "field": fields[row["field"]],
            "processing_days": row["processing_days"],
            "fee_amount": row.get("fee_amount"),
            "fee_note": row.get("fee_note", ""),
            "steps": "\n".join(row.get("steps", [])),
            "legal_basis": "\n".join(row.get("legal_basis", [])),
            "result_document": row.get("result_document", ""),
            "online_level": row.get("online_level", Procedure.OnlineLevel.IN_PERSON),
            "postal_return": row.get("postal_return", False),
            "source_url": row.get("source_url", ""),
            "is_active": True,
        },
        documents=tuple(
            DocumentRow(
                name=d["name"],
                copies=d.get("copies", 1),
                original_required=d.get("original_required", False),
                note=d.get("note", ""),
            )
            for d in row["documents"]
        ),
    )


@transaction.atomic
def procedures_catalogue_setup(*, commune: Commune) -> int:
    """Copy the starter catalogue into the commune; only missing codes, never over its edits.

    Returns how many procedures it created (0 on a second run).
    """
    rows = starter_catalogue()
    fields = {f.code: f for f in ProcedureField.objects.all()}
    if any(row["field"] not in fields for row in rows):
        sync_fields(ProcedureField)
        fields = {f.code: f for f in ProcedureField.objects.all()}
    have = set(
        Procedure.objects.filter(commune=commune, code__in=[row["code"] for row in rows])
        .select_for_update()
        .values_list("code", flat=True)
    )
    created = 0
    for row in rows:
        if row["code"] not in have:
            _save_row(commune, {}, _starter_row(row, fields))
            created += 1
    return created
