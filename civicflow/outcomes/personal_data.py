"""What the outcomes app holds about a person, for their data download and for erasure.

A person's survey answers are theirs: the download lists them and erasure deletes them (the
survey's results lose that response). Answers given through anonymous links belong to nobody
and are not touched. Readings, appraisals and evidence a person recorded are records of the
organisation; they stay, and the accounts app shows their author as a former participant.
"""

from __future__ import annotations

from typing import Any

from civicflow.core.personal_data import register_personal_data
from civicflow.outcomes.models import Answer, SurveyResponse


def _answers(user: Any) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for response_id, survey, submitted, question, rating, text in (
        Answer.objects.filter(response__respondent=user)
        .order_by("response_id", "question__position")
        .values_list(
            "response_id",
            "response__survey__title",
            "response__submitted_at",
            "question__text",
            "rating",
            "text",
        )
    ):
        entry = rows.setdefault(
            response_id,
            {"survey": survey, "submitted_at": submitted.isoformat(), "answers": []},
        )
        entry["answers"].append({"question": question, "answer": rating if rating else text})
    return list(rows.values())


def _erase_answers(user: Any) -> None:
    SurveyResponse.objects.filter(respondent=user).delete()


def register() -> None:
    """Tell accounts what the outcomes app holds about a person."""
    register_personal_data("survey_answers", export=_answers, erase=_erase_answers)
