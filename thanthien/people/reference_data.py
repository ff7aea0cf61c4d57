"""Default positions and offices, kept as data files so they change without code."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_positions() -> list[dict]:
    return json.loads((DATA_DIR / "positions.json").read_text(encoding="utf-8"))


def read_offices() -> list[dict]:
    return json.loads((DATA_DIR / "offices.json").read_text(encoding="utf-8"))


def sync_positions(position_model) -> int:
    """Create or update every default position by code; returns how many were created."""
    created = 0
    for row in read_positions():
        _, was_created = position_model.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
        created += was_created
    return created
