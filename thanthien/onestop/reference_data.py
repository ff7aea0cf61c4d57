"""Default procedure fields, kept as a data file so they change without code."""

from pathlib import Path

from thanthien.core.reference_data import read_rows, sync_rows

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_fields() -> list[dict]:
    return read_rows(DATA_DIR / "fields.json")


def sync_fields(field_model) -> int:
    """Create or update every default field by code; returns how many were created."""
    return sync_rows(field_model, read_fields())
