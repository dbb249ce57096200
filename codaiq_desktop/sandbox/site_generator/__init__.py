"""Turn a prompt into a complete static website (no network, deterministic)."""

from codaiq_desktop.sandbox.site_generator.generator import (
    GeneratedSite,
    GenerationError,
    SiteDetails,
    business_name,
    generate_site,
)
from codaiq_desktop.sandbox.site_generator.kinds import KINDS

SITE_KINDS: tuple[str, ...] = tuple(kind.key for kind in KINDS)

__all__ = ["SITE_KINDS", "GeneratedSite", "GenerationError", "SiteDetails", "business_name", "generate_site"]
