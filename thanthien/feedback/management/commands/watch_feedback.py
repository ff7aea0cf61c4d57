"""Run the daily feedback watch (thanthien/feedback/watch.py) once, for today or a given day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from thanthien.feedback.watch import feedback_watch


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Nhắc cán bộ các góp ý, phản ánh sắp đến hạn trả lời và báo lãnh đạo các ý kiến quá "
        "hạn. Chạy nhiều lần trong ngày không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày chạy, dạng YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, **options):
        report = feedback_watch(today=_day(options["date"]) if options["date"] else None)
        for code in report.reminded:
            self.stdout.write(f"  reminded  {code}")
        for code in report.escalated:
            self.stdout.write(f"  escalated {code}")
        if report.unwarned:
            self.stdout.write(f"no one to warn for: {', '.join(report.unwarned)}")
        self.stdout.write(f"watch_feedback: {report}")
