"""Demo data of the one-stop desk: the starter procedure catalogue for the demo commune."""

from thanthien.core.demo import DemoContext
from thanthien.onestop.catalogue import procedures_catalogue_setup


def catalogue_load(ctx: DemoContext) -> None:
    """The common commune-level procedures, from the starter catalogue (only missing codes)."""
    ctx.count("thủ tục hành chính", procedures_catalogue_setup(commune=ctx.commune))
