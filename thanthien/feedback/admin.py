"""Admin of the feedback app: one module per area, imported here so Django registers them.

One import line per area (each helper adds its own), so the block is not merged by isort.
"""

# ruff: noqa: I001

from thanthien.feedback import admin_channels  # noqa: F401
from thanthien.feedback import admin_complaints  # noqa: F401
from thanthien.feedback import admin_dialogues  # noqa: F401
from thanthien.feedback import admin_handling  # noqa: F401
