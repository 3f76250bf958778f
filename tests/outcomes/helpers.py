"""Builders for the outcomes tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from civicflow.outcomes import services

CBA_INPUTS = {
    "discount": "0.1",
    "optimism_bias": "0.2",
    "costs": [
        {"year": 0, "amount": "1000", "cashable": True, "label": "Build"},
        {"year": 1, "amount": "100", "cashable": False, "label": "Staff time"},
    ],
    "benefits": [
        {"year": 1, "amount": "660", "cashable": True, "label": "Fewer agency shifts"},
        {"year": 2, "amount": "1210", "cashable": False, "label": "Falls avoided"},
    ],
}
SROI_INPUTS = {
    "discount_rate": "0.035",
    "inputs": [{"label": "Grant", "value": "1000"}],
    "outcomes": [
        {
            "label": "People back in work",
            "quantity": "10",
            "proxy": "100",
            "duration": 3,
            "deadweight": "0.2",
            "displacement": "0",
            "attribution": "0.25",
            "drop_off": "0.1",
        }
    ],
}


def falls_kpi(actor: Any, owner: Any, **changes: Any):
    fields = {
        "name": "Falls on the ward a month",
        "unit": "falls",
        "direction": "lower",
        "baseline_value": "10",
        "baseline_on": date(2025, 1, 1),
        "target_value": "2",
        "target_on": date(2025, 12, 31),
        **changes,
    }
    return services.kpi_create(actor=actor, owner=owner, **fields)
