"""Reference data kept as JSON files (positions, procedure fields…), synced by code."""

import json
from pathlib import Path


def read_rows(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def sync_rows(model, rows: list[dict], *, key: str = "code") -> int:
    """Create or update each row by `key`; returns how many were created."""
    created = 0
    for row in rows:
        _, was_created = model.objects.update_or_create(
            **{key: row[key]}, defaults={k: v for k, v in row.items() if k != key}
        )
        created += was_created
    return created
