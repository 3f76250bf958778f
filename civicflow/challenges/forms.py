"""Forms for challenges: choosing a kind, the challenge itself with its phase dates, the list's
filters, lifecycle moves and following."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.models import Team
from civicflow.challenges.models import Audience, Challenge, Driver, Kind, PhaseName, Status
from civicflow.challenges.phases import PhaseDates, PhaseType, date_problems, phase_types

REASON_HELP = _("Recorded in the challenge's history.")
KIND_HINTS: dict[str, Any] = {
    Kind.OPEN_CALL: _("Anyone in the audience puts forward ideas, comments and backs ideas."),
    Kind.PRIZE: _("Entrants submit solutions that a panel judges against published criteria."),
    Kind.HACK_DAY: _("People pitch ideas, form teams, build prototypes and show them."),
    Kind.FUND_ROUND: _("People apply for a grant and a panel assesses the applications."),
    Kind.IMPROVEMENT_BOARD: _("A team proposes and tests small changes to how it works."),
}


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser's own date and time picker; the value is sent as 2027-03-12T17:00."""

    input_type = "datetime-local"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time in the UK's time zone, typed or picked."""

    widget = DateTimeLocalInput
    default_error_messages = {
        "invalid": _("Enter a real date and time, for example 12/03/2027 17:00"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "input_formats",
            ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return local.strftime("%Y-%m-%dT%H:%M")
        return value


def _limit(name: str, limit: int) -> dict[str, str]:
    return {
        "required": str(_("Enter the %(name)s") % {"name": name}),
        "max_length": str(
            _("The %(name)s must be %(limit)s characters or fewer")
            % {"name": name, "limit": f"{limit:,}"}
        ),
    }


class ChallengeKindForm(forms.Form):
    """The first step of making a challenge: what kind it is, which sets its phases."""

    kind = forms.ChoiceField(
        label=_("What kind of challenge is it?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("The kind sets the phases the challenge runs through. It cannot be changed."),
        error_messages={
            "required": _("Select the kind of challenge"),
            "invalid_choice": _("Select the kind of challenge"),
        },
    )


class ChallengeForm(forms.Form):
    """A challenge's text, audience, team and the dates of its kind's phases."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages=_limit(str(_("title")), 200)
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea,
        help_text=_("One or two sentences shown in lists of challenges. Up to 300 characters."),
        error_messages=_limit(str(_("summary")), 300),
    )
    problem = forms.CharField(
        label=_("The problem"),
        max_length=20_000,
        widget=forms.Textarea,
        help_text=_("Who has the problem, what happens now, and why it matters."),
        error_messages=_limit(str(_("problem statement")), 20_000),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea,
        help_text=_("Figures, research or stories that show the size of the problem."),
        error_messages=_limit(str(_("evidence")), 20_000),
    )
    driver = forms.ChoiceField(
        label=_("What is driving this challenge?"),
        choices=Driver.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what is driving this challenge"),
            "invalid_choice": _("Select what is driving this challenge"),
        },
    )
    audience = forms.ChoiceField(
        label=_("Who can take part?"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text=_("A challenge for staff only is hidden from everyone else."),
        error_messages={
            "required": _("Select who can take part"),
            "invalid_choice": _("Select who can take part"),
        },
    )
    allow_self_support = forms.BooleanField(
        label=_("Authors may back their own ideas"), required=False
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        teams: list[Team],
        with_reason: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.phase_types: tuple[PhaseType, ...] = phase_types(kind)
        if kind == Kind.IMPROVEMENT_BOARD:
            self.teams = {str(team.pk): team for team in teams}
            self.fields["team"] = forms.ChoiceField(
                label=_("Whose board is it?"),
                choices=[("", _("Select a team")), *((pk, t.name) for pk, t in self.teams.items())],
                error_messages={
                    "required": _("Select the team whose board this is"),
                    "invalid_choice": _("Select a team of this organisation"),
                },
            )
        for phase in self.phase_types:
            self.fields[f"phase_{phase.key}_starts_at"] = LocalDateTimeField(
                label=_("Starts"), required=False
            )
            self.fields[f"phase_{phase.key}_ends_at"] = LocalDateTimeField(
                label=_("Ends"), required=False
            )
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label=_("Why are you making this change?"),
                required=False,
                max_length=1000,
                help_text=REASON_HELP,
                error_messages=_limit(str(_("reason")), 1000),
            )

    def phase_fields(self) -> list[dict[str, Any]]:
        """Return each of the kind's phases with its two date fields, for the template."""
        return [
            {
                "phase": phase,
                "starts_at": self[f"phase_{phase.key}_starts_at"],
                "ends_at": self[f"phase_{phase.key}_ends_at"],
            }
            for phase in self.phase_types
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        phases: list[PhaseDates] = []
        for phase in self.phase_types:
            start_name, end_name = f"phase_{phase.key}_starts_at", f"phase_{phase.key}_ends_at"
            if start_name in self.errors or end_name in self.errors:
                continue
            starts_at, ends_at = cleaned.get(start_name), cleaned.get(end_name)
            if starts_at is None and ends_at is not None:
                self.add_error(
                    start_name,
                    _("Enter when the %(phase)s phase starts, or clear its end to leave it out")
                    % {"phase": phase.name},
                )
                continue
            if starts_at is not None:
                phases.append(PhaseDates(key=phase.key, starts_at=starts_at, ends_at=ends_at))
        if not self.errors:
            for problem in date_problems(self.kind, phases):
                name = f"phase_{problem.key}_{problem.field}"
                if problem.key and problem.field and name in self.fields:
                    self.add_error(name, problem.message.rstrip("."))
                else:
                    first = f"phase_{self.phase_types[0].key}_starts_at"
                    self.add_error(first, problem.message.rstrip("."))
        cleaned["phases"] = phases
        if "team" in self.fields and cleaned.get("team"):
            cleaned["team"] = self.teams[cleaned["team"]]
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned values as the services take them."""
        data = self.cleaned_data
        names = ("title", "summary", "problem", "evidence", "driver", "audience")
        arguments = {name: data[name] for name in names}
        arguments["allow_self_support"] = data["allow_self_support"]
        arguments["phases"] = data["phases"]
        if "team" in self.fields:
            arguments["team"] = data.get("team")
        return arguments

    @staticmethod
    def initial_for(challenge: Challenge) -> dict[str, Any]:
        """Return the form's starting values for an existing challenge."""
        initial: dict[str, Any] = {
            "title": challenge.title,
            "summary": challenge.summary,
            "problem": challenge.problem,
            "evidence": challenge.evidence,
            "driver": challenge.driver,
            "audience": challenge.audience,
            "allow_self_support": challenge.allow_self_support,
            "team": str(challenge.team_id or ""),
        }
        for phase in challenge.phase_dates():
            initial[f"phase_{phase.key}_starts_at"] = phase.starts_at
            initial[f"phase_{phase.key}_ends_at"] = phase.ends_at
        return initial


def _choices(label: Any, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ChallengeFilterForm(forms.Form):
    """The filters of the list of challenges, sent with GET."""

    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_choices(str(_("Any kind")), Kind.choices)
    )
    phase = forms.ChoiceField(
        label=_("Phase open now"),
        required=False,
        choices=_choices(str(_("Any phase")), PhaseName.choices),
    )
    audience = forms.ChoiceField(
        label=_("Who can take part"),
        required=False,
        choices=_choices(str(_("Anyone")), Audience.choices),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_choices(str(_("Any status")), Status.choices),
    )
    open_now = forms.BooleanField(label=_("Only challenges open now"), required=False)

    def __init__(
        self, *args: Any, organisations: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = _choices(  # type: ignore[attr-defined]
                str(_("Any organisation")), organisations
            )
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Select one of the options")


class ChallengeMoveForm(forms.Form):
    """Publish, close, reopen or archive, with an optional reason."""

    to = forms.ChoiceField(
        choices=[(s, s) for s in (Status.PUBLISHED, Status.CLOSED, Status.ARCHIVED)],
        error_messages={
            "required": _("Choose what to do"),
            "invalid_choice": _("Choose what to do"),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        help_text=REASON_HELP,
        error_messages=_limit(str(_("reason")), 1000),
    )


class FollowForm(forms.Form):
    """Follow or stop following."""

    action = forms.ChoiceField(choices=[("follow", "follow"), ("unfollow", "unfollow")])
