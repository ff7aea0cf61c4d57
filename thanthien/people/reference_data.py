"""Default positions and offices, kept as data files so they change without code."""

from pathlib import Path

from thanthien.core.reference_data import read_rows, sync_rows

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_positions() -> list[dict]:
    return read_rows(DATA_DIR / "positions.json")


def read_offices() -> list[dict]:
    return read_rows(DATA_DIR / "offices.json")


def sync_positions(position_model) -> int:
    """Create or update every default position by code; returns how many were created."""
    return sync_rows(position_model, read_positions())
