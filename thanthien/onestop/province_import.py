"""Dossiers from a province's one-stop system: importing them, and the export in that layout.

A commune that already receives dossiers in the province's system exports them (CSV/XLSX,
columns in docs/IMPORT_FORMATS.md) and imports them here so its timeliness is measured like
the dossiers received on Thân Thiện. Rows are matched by code: a new code is created with
origin "province", a known code of the same origin is updated when it changed, and the desk's
own dossiers (origin "here") or another commune's are never touched.

The import is built for large files: it reads the file in chunks and, per chunk, uses a fixed
number of queries (existing codes, the working-day calendar, bulk inserts and updates), so its
cost does not grow with per-row queries. It records the history rows the control slip and the
timeliness reports need, and never queues a message to the residents: these are past events.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import BinaryIO

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, JSONField, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.core.staff import require_commune_role
from thanthien.core.tabular import ImportFileError, ImportReport, RowError
from thanthien.onestop.dossier_selectors import LOCAL_TZ, local_day
from thanthien.onestop.models import Dossier, DossierAction, DossierEvent, Procedure
from thanthien.onestop.province_import_io import DossierRow, read_dossier_rows
from thanthien.people.roles import Role
from thanthien.places.models import Commune

# Stored on every history row the import writes (records stay in the commune's language).
IMPORT_NOTE = "Nhập từ hệ thống của tỉnh"
IMPORTER_ROLES = frozenset({Role.COMMUNE_ADMIN, Role.COMMUNE_LEADER})
IMPORTED_KINDS = (
    DossierAction.RECEIVE,
    DossierAction.RESCHEDULE,
    DossierAction.RESULT_READY,
    DossierAction.RETURN,
    DossierAction.REFUSE,
    DossierAction.WITHDRAW,
)
# Rows saved per round of queries; 500 codes also stay under SQLite's 999 parameters.
CHUNK_ROWS = 500
UPDATE_BATCH = 100
# The province's file does not say when a date was reset: the import records the latest
# moment the rules allow (ND 61 art. 19.9: one working day before the original due date).
RESCHEDULE_TIME = time(8, 0)
ONE_DAY = timedelta(days=1)
# Calendar days loaded beyond a chunk's last date: enough for the longest limit across Tết.
CALENDAR_PADDING_DAYS = 40

# The fields an import sets; a dossier is "unchanged" when all of them already hold.
COMPARED = (
    "procedure_id",
    "applicant_name",
    "applicant_phone",
    "applicant_address",
    "channel",
    "return_method",
    "processing_days",
    "received_at",
    "receipt_day",
    "due_date",
    "original_due_date",
    "state",
    "state_changed_at",
    "result_ready_at",
    "result_ready_day",
    "returned_at",
    "refused_at",
    "withdrawn_at",
    "rescheduled_at",
    "note",
)

# The fields the history rows are drawn from: a change elsewhere (a phone) leaves them be.
EVENT_FIELDS = frozenset(
    {
        "received_at",
        "due_date",
        "state",
        "result_ready_at",
        "returned_at",
        "refused_at",
        "withdrawn_at",
        "rescheduled_at",
    }
)
ONLY_FIELDS = tuple(name.removesuffix("_id") for name in COMPARED)


def _require_importer(actor, commune: Commune) -> None:
    """Commune administrators and leaders (or a superuser) of that commune import dossiers."""
    require_commune_role(
        actor,
        commune.pk,
        roles=IMPORTER_ROLES,
        perm="onestop.add_dossier",
        message=_("Bạn không có quyền nhập hồ sơ cho xã này."),
    )


class _Calendar:
    """Working days over a window, from one query, by the rules of thanthien.core.workdays."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        self.off = workdays.non_working_days(first, last)

    def is_working(self, day: date) -> bool:
        if self.first <= day <= self.last:
            return day not in self.off
        return workdays.is_working_day(day)  # outside the window: rare, one query

    def add(self, start: date, days: int) -> date:
        """As workdays.add_working_days."""
        step = 1 if days >= 0 else -1
        day = start if days == 0 else start + step * ONE_DAY
        wanted, count = max(abs(days), 1), 0
        while True:
            if self.is_working(day):
                count += 1
                if count == wanted:
                    return day
            day += step * ONE_DAY

    def receipt_day(self, received_at: datetime) -> date:
        """As workdays.receipt_day."""
        local = received_at.astimezone(LOCAL_TZ)
        late = local.time() >= settings.THANTHIEN_RECEIPT_CUTOFF
        return self.add(local.date(), 1 if late else 0)


def _calendar_for(rows: list[DossierRow], procedures: Iterable[Procedure]) -> _Calendar:
    days = [local_day(row.received_at) for row in rows]
    days += [d for row in rows for d in (row.due_date, row.original_due_date) if d]
    longest = max((p.processing_days for p in procedures), default=0)
    return _Calendar(
        min(days) - timedelta(days=14),
        max(days) + timedelta(days=2 * longest + CALENDAR_PADDING_DAYS),
    )


@dataclass
class _Planned:
    """What one good row asks for: the dossier's field values and its history rows."""

    row: DossierRow
    values: dict
    events: list[dict]


def _step_result(finished: datetime, due: date) -> str:
    day = local_day(finished)
    if day < due:
        return DossierEvent.StepResult.EARLY
    if day == due:
        return DossierEvent.StepResult.ON_TIME
    return DossierEvent.StepResult.LATE


def _reschedule_moment(row: DossierRow, calendar: _Calendar) -> datetime:
    day = calendar.add(row.original_due_date, -1)
    moment = datetime.combine(day, RESCHEDULE_TIME, tzinfo=LOCAL_TZ)
    moment = max(moment, row.received_at)
    if row.result_ready_at is not None:
        moment = min(moment, row.result_ready_at)
    return moment


def _events(values: dict) -> list[dict]:
    """The history rows of an imported dossier, in order, as the services would write them."""
    received = Dossier.State.RECEIVED
    events = [{"kind": DossierAction.RECEIVE, "at": values["received_at"], "to_state": received}]
    if values["rescheduled_at"] is not None:
        events.append(
            {
                "kind": DossierAction.RESCHEDULE,
                "at": values["rescheduled_at"],
                "from_state": received,
                "to_state": received,
                "step_due_date": values["due_date"],
            }
        )
    if values["result_ready_at"] is not None:
        events.append(
            {
                "kind": DossierAction.RESULT_READY,
                "at": values["result_ready_at"],
                "from_state": received,
                "to_state": Dossier.State.RESULT_READY,
                "step_due_date": values["due_date"],
                "step_result": _step_result(values["result_ready_at"], values["due_date"]),
                "step_finished_at": values["result_ready_at"],
            }
        )
    if values["returned_at"] is not None:
        events.append(
            {
                "kind": DossierAction.RETURN,
                "at": values["returned_at"],
                "from_state": Dossier.State.RESULT_READY,
                "to_state": Dossier.State.RETURNED,
            }
        )
    for kind, field, state in (
        (DossierAction.REFUSE, "refused_at", Dossier.State.REFUSED),
        (DossierAction.WITHDRAW, "withdrawn_at", Dossier.State.WITHDRAWN),
    ):
        if values[field] is not None:
            events.append(
                {"kind": kind, "at": values[field], "from_state": received, "to_state": state}
            )
    return events


def _plan(row: DossierRow, procedure: Procedure, calendar: _Calendar) -> _Planned | str:
    """The dossier's values from a checked row, or the reason the row cannot be saved."""
    receipt = calendar.receipt_day(row.received_at)
    due = row.due_date or calendar.add(receipt, procedure.processing_days)
    if due < receipt:
        return _(
            "Ngày hẹn trả %(due)s trước ngày tính tiếp nhận %(receipt)s "
            "(hồ sơ nhận sau giờ làm việc hoặc ngày nghỉ tính từ ngày làm việc tiếp theo)."
        ) % {"due": f"{due:%d/%m/%Y}", "receipt": f"{receipt:%d/%m/%Y}"}
    if row.original_due_date is not None and row.original_due_date < receipt:
        return _("Ngày hẹn trả ban đầu %(original)s trước ngày tính tiếp nhận %(receipt)s.") % {
            "original": f"{row.original_due_date:%d/%m/%Y}",
            "receipt": f"{receipt:%d/%m/%Y}",
        }
    state = row.state
    rescheduled_at = (
        _reschedule_moment(row, calendar) if row.original_due_date is not None else None
    )
    changed_at = (
        {
            Dossier.State.RESULT_READY: row.result_ready_at,
            Dossier.State.RETURNED: row.returned_at,
        }.get(state)
        or rescheduled_at
        or row.received_at
    )
    values = {
        "procedure_id": procedure.pk,
        "applicant_name": row.applicant_name,
        "applicant_phone": row.applicant_phone,
        "applicant_address": row.applicant_address,
        "channel": row.channel,
        "return_method": row.return_method,
        "processing_days": procedure.processing_days,
        "received_at": row.received_at,
        "receipt_day": receipt,
        "due_date": due,
        "original_due_date": row.original_due_date,
        "state": state,
        "state_changed_at": changed_at,
        "result_ready_at": row.result_ready_at,
        "result_ready_day": local_day(row.result_ready_at) if row.result_ready_at else None,
        "returned_at": row.returned_at,
        # The file has no time for a refusal or a withdrawal: the desk refuses at receipt,
        # and a withdrawal is recorded at the last moment the file knows.
        "refused_at": row.received_at if state == Dossier.State.REFUSED else None,
        "withdrawn_at": (rescheduled_at or row.received_at)
        if state == Dossier.State.WITHDRAWN
        else None,
        "rescheduled_at": rescheduled_at,
        "note": row.note,
    }
    return _Planned(row=row, values=values, events=_events(values))


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def _procedure_lookup(commune: Commune) -> dict[str, Procedure]:
    procedures = Procedure.objects.filter(commune=commune).only("pk", "code", "processing_days")
    by_code: dict[str, Procedure] = {}
    folded: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        by_code[procedure.code] = procedure
        folded.setdefault(procedure.code.casefold(), []).append(procedure)
    # A letter code typed in another case ("lt.ks-tt-bhyt") matches when only one procedure has it.
    for key, matches in folded.items():
        if len(matches) == 1:
            by_code.setdefault(key, matches[0])
    return by_code


class _Import:
    """One import run: the commune's procedures, the actor, the running report."""

    def __init__(self, *, actor, commune: Commune, report: ImportReport):
        self.actor = actor
        self.commune = commune
        self.report = report
        self.procedures = _procedure_lookup(commune)
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(Dossier)

    def error(self, row: int, reason: str) -> None:
        self.report.errors.append(RowError(row=row, reason=reason))

    def run(self, items: Iterator[DossierRow | RowError]) -> None:
        for chunk in _chunks(items, CHUNK_ROWS):
            rows = []
            for item in chunk:
                if isinstance(item, RowError):
                    self.report.errors.append(item)
                else:
                    rows.append(item)
            if rows:
                self.chunk(rows)

    def _procedure(self, code: str) -> Procedure | None:
        return self.procedures.get(code) or self.procedures.get(code.casefold())

    def chunk(self, rows: list[DossierRow]) -> None:
        matched: list[tuple[DossierRow, Procedure]] = []
        for row in rows:
            procedure = self._procedure(row.procedure_code)
            if procedure is None:
                self.error(
                    row.row,
                    _("Mã thủ tục “%(code)s” không có trong danh mục thủ tục của xã.")
                    % {"code": row.procedure_code},
                )
            else:
                matched.append((row, procedure))
        if not matched:
            return
        existing = {
            d.code: d
            for d in Dossier.objects.filter(code__in=[row.code for row, _p in matched]).only(
                "pk", "code", "commune", "origin", *ONLY_FIELDS
            )
        }
        calendar = _calendar_for([row for row, _p in matched], [p for _r, p in matched])
        to_create: list[_Planned] = []
        to_update: list[tuple[Dossier, _Planned, dict]] = []
        for row, procedure in matched:
            planned = _plan(row, procedure, calendar)
            if isinstance(planned, str):
                self.error(row.row, planned)
                continue
            dossier = existing.get(row.code)
            if dossier is None:
                to_create.append(planned)
                continue
            if dossier.commune_id != self.commune.pk:
                self.error(
                    row.row,
                    _("Mã hồ sơ “%(code)s” đã là hồ sơ của một xã khác.") % {"code": row.code},
                )
                continue
            if dossier.origin != Dossier.Origin.PROVINCE:
                self.error(
                    row.row,
                    _(
                        "Hồ sơ “%(code)s” do bộ phận một cửa của xã tiếp nhận trên Thân Thiện; "
                        "không ghi đè bằng dữ liệu của tỉnh."
                    )
                    % {"code": row.code},
                )
                continue
            changes = {
                name: (getattr(dossier, name), value)
                for name, value in planned.values.items()
                if getattr(dossier, name) != value
            }
            if changes:
                to_update.append((dossier, planned, changes))
            else:
                self.report.unchanged += 1
        self.create(to_create)
        self.update(to_update)

    def create(self, planned: list[_Planned]) -> None:
        if not planned:
            return
        _insert(
            Dossier,
            [
                {
                    "commune_id": self.commune.pk,
                    "code": item.row.code,
                    "origin": Dossier.Origin.PROVINCE,
                    "created_by_id": self.actor.pk,
                    "notify_channel": Dossier.NotifyChannel.NONE,
                    **item.values,
                }
                for item in planned
            ],
            now=self.now,
        )
        ids = dict(
            Dossier.objects.filter(code__in=[item.row.code for item in planned]).values_list(
                "code", "pk"
            )
        )
        self.write_events(((ids[item.row.code], item) for item in planned), skip_reschedule=set())
        self.audit(
            (
                ids[item.row.code],
                item.row.code,
                LogEntry.Action.CREATE,
                {
                    "code": ["None", item.row.code],
                    "state": ["None", str(item.values["state"])],
                    "origin": ["None", str(Dossier.Origin.PROVINCE)],
                },
            )
            for item in planned
        )
        self.report.created += len(planned)

    def update(self, planned: list[tuple[Dossier, _Planned, dict]]) -> None:
        if not planned:
            return
        dossiers = []
        changed: set[str] = set()
        for dossier, item, changes in planned:
            for name in changes:
                setattr(dossier, name, item.values[name])
            changed.update(changes)
            dossier.updated_at = self.now
            dossiers.append(dossier)
        # Only the columns that changed somewhere in the chunk, in small statements: each row
        # of a bulk update is a CASE branch of every column it sets.
        fields = [name for name in COMPARED if name in changed]
        Dossier.objects.bulk_update(dossiers, [*fields, "updated_at"], batch_size=UPDATE_BATCH)
        self.rewrite_events(
            [(dossier, item) for dossier, item, changes in planned if EVENT_FIELDS & changes.keys()]
        )
        self.audit(
            (
                dossier.pk,
                dossier.code,
                LogEntry.Action.UPDATE,
                {name: [str(old), str(new)] for name, (old, new) in changes.items()},
            )
            for dossier, _item, changes in planned
        )
        self.report.updated += len(planned)

    def rewrite_events(self, planned: list[tuple[Dossier, _Planned]]) -> None:
        """Replace the imported history rows of dossiers whose dates or state changed."""
        if not planned:
            return
        ids = [dossier.pk for dossier, _item in planned]
        imported = DossierEvent.objects.filter(
            dossier_id__in=ids, kind__in=IMPORTED_KINDS, note=IMPORT_NOTE
        )
        # The rows are rebuilt from the file; the dossier's own audit entry records the change,
        # so no entry per deleted row (which would cost queries per row).
        with disable_auditlog():
            imported.delete()
        # A date the desk reset here stays: the rules allow one reset per dossier.
        skip_reschedule = set(
            DossierEvent.objects.filter(
                dossier_id__in=ids, kind=DossierAction.RESCHEDULE
            ).values_list("dossier_id", flat=True)
        )
        self.write_events(
            ((dossier.pk, item) for dossier, item in planned), skip_reschedule=skip_reschedule
        )

    def write_events(self, pairs: Iterable[tuple[int, _Planned]], *, skip_reschedule) -> None:
        rows = [
            {"dossier_id": dossier_id, "actor_id": self.actor.pk, "note": IMPORT_NOTE, **event}
            for dossier_id, item in pairs
            for event in item.events
            if not (event["kind"] == DossierAction.RESCHEDULE and dossier_id in skip_reschedule)
        ]
        _insert(DossierEvent, rows, now=self.now)

    def audit(self, entries: Iterable[tuple[int, str, int, dict]]) -> None:
        """The audit trail django-auditlog keeps for single saves, written in bulk here."""
        actor_id = self.actor.pk if self.actor.is_authenticated else None
        extra = {"commune_id": self.commune.pk, "source": "province_import"}
        rows = [
            {
                "content_type_id": self.content_type.pk,
                "object_pk": str(pk),
                "object_id": pk,
                "object_repr": code,
                "action": action,
                "changes": changes,
                "actor_id": actor_id,
                "timestamp": self.now,
                "additional_data": extra,
            }
            for pk, code, action, changes in entries
        ]
        _insert(LogEntry, rows, now=self.now)


def _column_defaults(model, now: datetime) -> list[tuple[Field, object]]:
    """Each column to write (all but the automatic key) and the value it takes when omitted."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        elif field.has_default():
            default = field.get_default()
        elif field.null:
            default = None
        else:
            default = ""
        columns.append((field, default))
    return columns


def _insert(model, rows: list[dict], *, now: datetime) -> None:
    """Insert rows given as {attname: value}; omitted columns take their defaults.

    On PostgreSQL through COPY, the way bulk loads are meant to be done there; elsewhere
    with bulk_create. Either way no per-row query and no signal (the audit entries are written
    by the caller).
    """
    if not rows:
        return
    columns = _column_defaults(model, now)
    if connection.vendor != "postgresql":
        objects = [
            model(**{field.attname: row.get(field.attname, default) for field, default in columns})
            for row in rows
        ]
        model.objects.bulk_create(objects, batch_size=CHUNK_ROWS * 4)
        return
    from psycopg import sql
    from psycopg.types.json import Jsonb

    json = {field.attname for field, _default in columns if isinstance(field, JSONField)}
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(model._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(field.column) for field, _d in columns),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = []
            for field, default in columns:
                value = row.get(field.attname, default)
                if field.attname in json and value is not None:
                    value = Jsonb(value)
                elif isinstance(value, str):
                    value = str(value)  # a TextChoices member as its plain value
                values.append(value)
            copy.write_row(values)


def dossiers_import(
    *, actor, commune: Commune, file: BinaryIO, filename: str | None = None
) -> ImportReport:
    """Create or update the commune's dossiers from a province's export (XLSX or CSV), by code.

    Bad rows are reported with their row number and reason while the good ones are saved;
    importing the same file twice changes nothing. A file that cannot be read saves nothing.
    """
    _require_importer(actor, commune)
    report = ImportReport()
    try:
        with transaction.atomic():
            run = _Import(actor=actor, commune=commune, report=report)
            run.run(read_dossier_rows(file, filename or getattr(file, "name", "") or ""))
    except ImportFileError as exc:
        return ImportReport(file_error=str(exc))
    except IntegrityError:
        return ImportReport(
            file_error=_(
                "Một lần nhập khác đang ghi cùng các hồ sơ này. Hãy đợi một lát rồi nhập lại."
            )
        )
    report.errors.sort(key=lambda error: error.row)
    return report


def dossiers_for_export(*, user) -> QuerySet[Dossier]:
    """The user's communes' dossiers, oldest first, ready for the export's columns."""
    return (
        Dossier.objects.visible_to(user)
        .select_related("procedure", "commune")
        .order_by("received_at", "pk")
    )


__all__ = ["IMPORT_NOTE", "dossiers_for_export", "dossiers_import"]
