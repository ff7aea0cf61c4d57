"""Run the daily overdue watch (thanthien/onestop/watch.py) once, for today or a given day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from thanthien.onestop.watch import dossiers_watch


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Báo cán bộ các hồ sơ đến hạn trong một ngày làm việc, đánh dấu hồ sơ quá hạn và "
        "lập dự thảo phiếu xin lỗi cho lãnh đạo. Chạy nhiều lần trong ngày không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, **options):
        report = dossiers_watch(today=_day(options["date"]) if options["date"] else None)
        for watch in report.communes:
            self.stdout.write(
                f"{watch.commune.name}: {len(watch.due_soon)} due soon, {len(watch.late)} late"
            )
            for dossier in watch.due_soon:
                self.stdout.write(f"  due {dossier.due_date:%d/%m/%Y}  {dossier.code}")
            for dossier in watch.late:
                self.stdout.write(f"  LATE {dossier.due_date:%d/%m/%Y}  {dossier.code}")
        if report.unwarned:
            self.stdout.write(f"no one to warn for: {', '.join(report.unwarned)}")
        self.stdout.write(f"watch_dossiers: {report}")
