"""Hand-written inputs of the At a glance tiles, shared by the tiles' and the sentences' tests."""

import pandas as pd


def _feedback(month: str, answers: list) -> pd.DataFrame:
    return pd.DataFrame({"month": [month] * len(answers), "helpful": answers})


def _reach_block(estimate, low, high, cov=None):
    cov = cov or (None, None, None)
    return {
        "combined": {"estimate": estimate, "low": low, "high": high, "method": "test method"},
        "coverage": {"births_in_period": 600, "estimate": cov[0], "low": cov[1], "high": cov[2]},
        "by_district": [],
    }


GLANCE_TABLES = {
    "web_pages": pd.DataFrame(
        {
            "month": ["2026-10", "2026-09", "2025-10"],
            "asset_id": ["A", "A", "A"],
            "sessions": [200, 100, 100],
            "engagement_rate": [0.7, 0.5, 0.7],
        }
    ),
    "feedback": pd.concat(
        [
            _feedback("2026-10", ["Yes"] * 72 + ["No"] * 8),  # 90% of 80 (8 said no: enough to show)
            _feedback("2026-09", ["Yes"] * 15 + ["No"] * 15),  # 50% of 30
            _feedback("2025-10", ["Yes"] * 4 + ["No"]),  # 5 answers: hidden
        ],
        ignore_index=True,
    ),
}


GLANCE_REACH = {
    "2026-10": _reach_block(1800, 1200, 2600, (0.6, 0.5, 0.7)),
    "2026-09": _reach_block(900, 700, 1100, (0.55, 0.4, 0.7)),
    "2025-10": _reach_block(None, None, None),
    "2025-09": _reach_block(None, None, None),
    "2024-10": _reach_block(None, None, None),
}


GLANCE_IMPACT = {
    "campaigns": [
        {
            "campaign": "late",
            "name": "Autumn <push>",
            "start": "2026-10-12",
            "end": "2026-10-25",
            "post_start": "2026-10-12",
            "post_end": "2026-10-25",
        },
        {"campaign": "early", "name": "Spring week", "start": "2026-03-09", "end": "2026-03-22"},
    ],
    "counterfactual": [
        {
            "campaign": "late",
            "rel_effect": 0.3,
            "rel_low": 0.15,
            "rel_high": 0.5,
            "actual": 26.0,
            "predicted": 20.0,
        },
        {
            "campaign": "early",
            "rel_effect": 0.4,
            "rel_low": 0.1,
            "rel_high": 0.9,
            "actual": 28.0,
            "predicted": 20.0,
        },
    ],
}


GLANCE_SETTINGS = {
    "targets": {
        "reach_people": {"target": 1000, "floor": 500},
        "coverage": {"target": 0.5, "floor": 0.3},
        "engagement_rate": {"target": 0.6, "floor": 0.45},
        "helpful": {"target": 0.9, "floor": 0.75},
        "campaign_effect": {"target": 0.1, "floor": 0.0},
    }
}
