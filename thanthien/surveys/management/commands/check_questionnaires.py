"""Validate the shipped questionnaire definitions and any files given (surveys.definitions)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thanthien.surveys.definitions import DefinitionError, load_definition, shipped_paths


class Command(BaseCommand):
    help = (
        "Kiểm tra các phiếu khảo sát đi kèm phần mềm (surveys/data/questionnaires/*.json) và "
        "các tệp được chỉ ra; báo từng lỗi kèm vị trí của nó trong tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            help="Tệp JSON cần kiểm tra thêm (ví dụ phiếu do xã tự soạn).",
        )
        parser.add_argument(
            "--only",
            action="store_true",
            help="Chỉ kiểm tra các tệp được chỉ ra, bỏ qua phiếu đi kèm.",
        )

    def handle(self, *args, **options):
        paths = [] if options["only"] else shipped_paths()
        paths += [Path(path) for path in options["paths"]]
        if not paths:
            raise CommandError("Không có phiếu nào để kiểm tra.")
        failed = 0
        seen: dict[str, Path] = {}
        for path in paths:
            try:
                questionnaire = load_definition(path)
            except DefinitionError as error:
                failed += 1
                self.stderr.write(f"LỖI {path}")
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
                continue
            key = f"{questionnaire.id} v{questionnaire.version}"
            if key in seen:
                failed += 1
                self.stderr.write(f"LỖI {path}\n  id: {key} trùng với tệp {seen[key]}")
                continue
            seen[key] = path
            self.stdout.write(
                f"OK  {path.name}: {questionnaire.id} v{questionnaire.version}, "
                f"{len(questionnaire.sections)} phần, {len(questionnaire.questions)} câu"
            )
        if failed:
            raise CommandError(f"{failed} phiếu không hợp lệ (trên {len(paths)} phiếu).")
        self.stdout.write(f"check_questionnaires: {len(paths)} phiếu hợp lệ.")
