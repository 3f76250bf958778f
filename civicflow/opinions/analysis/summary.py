"""An opinion map as plain JSON data, to store and to draw the report from.

Pure Python and numpy: no Django.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from civicflow.opinions.analysis.opinion_map import OpinionMap

#: Decimal places kept for coordinates and shares: far finer than a drawing or a percentage.
PLACES = 4


def _rounded(values: Any) -> list[float]:
    return [round(float(value), PLACES) for value in values]


def statement_separation(opinion_map: OpinionMap) -> dict[int, float]:
    """Return how much each statement separates the groups, from 0 (alike) to 1 (opposed).

    It is half the largest gap between two groups' agree-minus-disagree shares (smoothed).
    """
    statistics = opinion_map.statistics
    lean = statistics.p_agree - statistics.p_disagree
    spread = (lean.max(axis=0) - lean.min(axis=0)) / 2
    return {
        int(statement_id): round(float(value), PLACES)
        for statement_id, value in zip(opinion_map.statement_ids, spread, strict=True)
    }


def summarise(opinion_map: OpinionMap) -> dict[str, Any]:
    """Return the map as JSON-ready data.

    ``participants`` holds parallel lists (ids, x, y, group, with -1 for no group);
    ``statements`` gives, for each statement id, its separation and each group's
    ``[agrees, disagrees, votes]``; ``repness``, ``consensus`` and ``divisive`` list the
    chosen statements with their figures.
    """
    statistics = opinion_map.statistics
    separation = statement_separation(opinion_map)
    statements: dict[str, Any] = {}
    for column, statement_id in enumerate(opinion_map.statement_ids.tolist()):
        statements[str(statement_id)] = {
            "separation": separation[statement_id],
            "moderated_out": bool(opinion_map.moderated_out[column]),
            "groups": [
                [
                    int(statistics.agrees[group, column]),
                    int(statistics.disagrees[group, column]),
                    int(statistics.seen[group, column]),
                ]
                for group in range(opinion_map.k)
            ],
        }
    coordinates = np.asarray(opinion_map.coordinates, dtype=np.float64)
    return {
        "k": opinion_map.k,
        "group_sizes": opinion_map.group_sizes,
        "silhouettes": {
            str(k): round(float(score), PLACES) for k, score in opinion_map.silhouettes.items()
        },
        "participants": {
            "ids": opinion_map.participant_ids.tolist(),
            "x": _rounded(coordinates[:, 0]) if len(coordinates) else [],
            "y": _rounded(coordinates[:, 1]) if len(coordinates) else [],
            "groups": opinion_map.groups.tolist(),
        },
        "repness": {
            str(group): [
                {
                    "statement_id": s.statement_id,
                    "direction": s.direction,
                    "successes": s.successes,
                    "trials": s.trials,
                    "probability": round(s.probability, PLACES),
                    "repness": round(s.repness, PLACES),
                    "best_agree": s.best_agree,
                }
                for s in chosen
            ]
            for group, chosen in opinion_map.repness.items()
        },
        "consensus": {
            side: [
                {
                    "statement_id": s.statement_id,
                    "consensus": round(s.consensus, PLACES),
                    "group_probabilities": _rounded(s.group_probabilities),
                }
                for s in chosen
            ]
            for side, chosen in (
                ("agree", opinion_map.consensus.agree),
                ("disagree", opinion_map.consensus.disagree),
            )
        },
        "divisive": [
            {
                "statement_id": s.statement_id,
                "spread": round(s.spread, PLACES),
                "agreeing_groups": list(s.agreeing_groups),
                "disagreeing_groups": list(s.disagreeing_groups),
            }
            for s in opinion_map.divisive
        ],
        "statements": statements,
    }
