"""Where the shared contract fixtures live: $CS_RULES_SHARED, else ../shared beside the
repository (as CI lays it out), else /work/shared."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    for cand in (os.environ.get("CS_RULES_SHARED"), REPO.parent / "shared", Path("/work/shared")):
        if cand and (Path(cand) / "fixtures" / "golden").is_dir():
            return Path(cand)
    raise RuntimeError("shared/fixtures/golden not found: set CS_RULES_SHARED to the shared/ folder")


SHARED = _shared()
GOLDEN = SHARED / "fixtures" / "golden"
REAL = SHARED / "fixtures" / "real"
SAMPLE = REPO / "sample_data"
