"""Appraisal's models: criteria, business cases, panels and decisions, prizes, fund rounds and
hack days. Every round hangs off a challenge; every judged submission is one of its ideas."""

from civicflow.appraisal.models.cases import Barrier, BarrierKind, BusinessCase
from civicflow.appraisal.models.criteria import DEFAULT_CRITERIA, CriteriaSet, Criterion
from civicflow.appraisal.models.funds import (
    Application,
    FundRound,
    Grant,
    Milestone,
    MilestoneReport,
    Payment,
)
from civicflow.appraisal.models.hackdays import HackDay, HackTeam, Prototype, Registration
from civicflow.appraisal.models.panels import (
    Assignment,
    ConflictDeclaration,
    Decision,
    DecisionKind,
    Panel,
    PanelMember,
    PanelStatus,
    Score,
)
from civicflow.appraisal.models.prizes import (
    EligibilityAnswer,
    EligibilityQuestion,
    Prize,
    PrizeTier,
)

__all__ = [
    "DEFAULT_CRITERIA",
    "Application",
    "Assignment",
    "Barrier",
    "BarrierKind",
    "BusinessCase",
    "ConflictDeclaration",
    "CriteriaSet",
    "Criterion",
    "Decision",
    "DecisionKind",
    "EligibilityAnswer",
    "EligibilityQuestion",
    "FundRound",
    "Grant",
    "HackDay",
    "HackTeam",
    "Milestone",
    "MilestoneReport",
    "Panel",
    "PanelMember",
    "PanelStatus",
    "Payment",
    "Prize",
    "PrizeTier",
    "Prototype",
    "Registration",
    "Score",
]
