"""Attendance exports read as they come: WeCom, DingTalk, ZKTeco and other clocks.

One :class:`~.base.Adapter` per layout family, registered in :mod:`.registry`;
loading calls :func:`detect_vendor`, :func:`load_vendor` and :func:`attach_vendor`.
"""

from cs_rules.loading.people import match_people, roster_skeleton
from cs_rules.loading.vendors.base import (
    APPROVAL_COLUMNS,
    LABEL_COLUMNS,
    LEAVE_COLUMNS,
    PEOPLE_COLUMNS,
    PUNCH_COLUMNS,
    ROSTER_COLUMNS,
    SCHEDULE_COLUMNS,
    SIGNIN_COLUMNS,
    VERDICT_COLUMNS,
    Adapter,
    VendorLoad,
)
from cs_rules.loading.vendors.registry import (
    ADAPTERS,
    VENDORS,
    attach_vendor,
    detect_vendor,
    expected_layouts,
    load_vendor,
    not_recognised,
    unrecognised,
)

__all__ = [
    "ADAPTERS", "APPROVAL_COLUMNS", "LABEL_COLUMNS", "LEAVE_COLUMNS", "PEOPLE_COLUMNS", "PUNCH_COLUMNS",
    "ROSTER_COLUMNS", "SCHEDULE_COLUMNS", "SIGNIN_COLUMNS", "VENDORS", "VERDICT_COLUMNS", "Adapter", "VendorLoad",
    "attach_vendor", "detect_vendor", "expected_layouts", "load_vendor", "match_people", "not_recognised",
    "roster_skeleton", "unrecognised",
]
