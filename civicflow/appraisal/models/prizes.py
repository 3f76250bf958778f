"""Challenge prizes: a pot shared into tiers, eligibility questions, a closing date."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel


class Prize(TimeStampedModel):
    """A reward for whoever first or best meets a challenge."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="prize"
    )
    pot = models.PositiveBigIntegerField(_("prize pot"))
    currency = models.CharField(max_length=3, default="GBP")
    closes_at = models.DateTimeField(_("entries close"))

    def __str__(self) -> str:
        return f"Prize for {self.challenge}"


class PrizeTier(models.Model):
    """A place in the prize (winner, runner-up): its award and how many can win it."""

    prize = models.ForeignKey(Prize, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("name"), max_length=120)
    amount = models.PositiveBigIntegerField(_("award for each place"))
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["prize", "name"], name="prize_tier_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class EligibilityQuestion(models.Model):
    """A yes-or-no question an entrant must answer with ``required_answer`` to be eligible."""

    prize = models.ForeignKey(Prize, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    required_answer = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class EligibilityAnswer(models.Model):
    """An entrant's answer for their idea."""

    question = models.ForeignKey(
        EligibilityQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    answer = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "idea"], name="eligibility_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.answer}"
