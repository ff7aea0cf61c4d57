"""Default procedure fields, kept as a data file so they change without code."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_fields() -> list[dict]:
    return json.loads((DATA_DIR / "fields.json").read_text(encoding="utf-8"))


def sync_fields(field_model) -> int:
    """Create or update every default field by code; returns how many were created."""
    created = 0
    for row in read_fields():
        _, was_created = field_model.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
        created += was_created
    return created
