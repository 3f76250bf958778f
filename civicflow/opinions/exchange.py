"""A conversation in and out of the Pol.is open-data export.

``conversation_import`` turns an export (read by ``polis_export.read_export``) into a new
conversation on a challenge: its statements with their moderation, a participant for every
number in the export, and everyone's latest votes. ``export_files`` writes a conversation
as the four files of an export; participants are numbered by their participant id here,
never named, and the group of each is the one in the last map.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from civicflow.challenges.models import Challenge
from civicflow.core.audit import audit_record
from civicflow.opinions import permissions, services
from civicflow.opinions.models import (
    Analysis,
    Conversation,
    ModerationMode,
    Participant,
    Statement,
    StatementStatus,
    Vote,
)
from civicflow.opinions.polis_export import (
    ACCEPTED,
    COMMENTS,
    MODERATED_OUT,
    PARTICIPANTS_VOTES,
    SUMMARY,
    UNMODERATED,
    VOTES,
    PolisConversation,
    PolisExportError,
    PolisStatement,
    PolisVote,
    read_export,
    write_export,
)

EXPORT_FILES = (COMMENTS, VOTES, PARTICIPANTS_VOTES, SUMMARY)
STATUS_OF = {
    ACCEPTED: StatementStatus.ACCEPTED,
    UNMODERATED: StatementStatus.PENDING,
    MODERATED_OUT: StatementStatus.REJECTED,
}
MODERATED_OF = {status: moderated for moderated, status in STATUS_OF.items()}
BATCH = 2000
#: The largest file accepted in an upload.
UPLOAD_LIMIT = 50 * 1024 * 1024
#: Participant and comment numbers are stored as 64-bit integers.
LARGEST_ID = 2**63 - 1


def _unzip(archive: Any, folder: Path) -> None:
    """Extract the export's files from an uploaded zip (found in any folder inside it)."""
    try:
        with zipfile.ZipFile(archive) as opened:
            for info in opened.infolist():
                name = Path(info.filename).name
                if name not in EXPORT_FILES or info.is_dir():
                    continue
                if info.file_size > UPLOAD_LIMIT:
                    raise ValidationError({"archive": f"{name} in the zip file is too large."})
                (folder / name).write_bytes(opened.read(info))
    except zipfile.BadZipFile:
        raise ValidationError({"archive": "The file is not a zip file."}) from None


def read_uploads(files: Mapping[str, Any], archive: Any = None) -> PolisConversation:
    """Read an export uploaded as its CSV files (by their export name) or as one zip file.

    Raise ``ValidationError`` with a message that names the file and line at fault.
    """
    with tempfile.TemporaryDirectory(prefix="civicflow-import-") as name:
        folder = Path(name)
        if archive is not None:
            _unzip(archive, folder)
        for file_name, upload in files.items():
            if file_name not in EXPORT_FILES:
                raise ValueError(f"{file_name} is not a file of a Pol.is export.")
            if upload is None:
                continue
            if upload.size > UPLOAD_LIMIT:
                raise ValidationError({"files": f"{file_name} is larger than 50 MB."})
            with (folder / file_name).open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
        try:
            return read_export(folder)
        except PolisExportError as error:
            message = str(error).replace(str(folder), "The upload")
            raise ValidationError({"files": message}) from None


def conversation_import(
    *, actor: Any, challenge: Challenge, export: PolisConversation, question: str = ""
) -> Conversation:
    """Make a conversation on ``challenge`` from a Pol.is export (the challenge's leads).

    The question is ``question`` if given, otherwise the export's topic. Statements keep
    their moderation (accepted, waiting or moderated out), and each participant's latest
    vote on each statement is kept. The map is worked out in the background afterwards.
    """
    if not permissions.can_start_conversation(actor, challenge):
        raise PermissionDenied("Only the challenge's innovation leads can import a conversation.")
    question = (question or export.topic or "").strip()
    if not question:
        raise ValidationError(
            {"question": "Enter the question: the export's summary.csv does not give a topic."}
        )
    if not export.statements:
        raise ValidationError(
            {"files": "The export has no comments, so there is nothing to import."}
        )
    latest = export.latest_votes()
    numbers = sorted(
        set(latest.participant_ids.tolist()) | {s.author_id for s in export.statements}
    )
    statement_numbers = [s.statement_id for s in export.statements]
    if any(not -LARGEST_ID <= n <= LARGEST_ID for n in [*numbers, *statement_numbers]):
        raise ValidationError(
            {"files": "The export numbers a participant or comment beyond what can be stored."}
        )
    with transaction.atomic():
        conversation = services.conversation_create(
            actor=actor,
            challenge=challenge,
            question=question[: services.QUESTION_LIMIT],
            description=export.description[: services.DESCRIPTION_LIMIT],
            moderation=ModerationMode.POST,
        )
        if export.url:
            conversation.source_url = export.url[:500]
            conversation.save(update_fields=["source_url"])
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, external_id=n) for n in numbers],
            batch_size=BATCH,
        )
        participant_of = dict(
            Participant.objects.filter(conversation=conversation).values_list("external_id", "pk")
        )
        Statement.objects.bulk_create(
            [
                Statement(
                    organisation_id=conversation.organisation_id,
                    conversation=conversation,
                    text=s.body,
                    normalised=services.normalise(s.body),
                    author_id=participant_of.get(s.author_id),
                    status=STATUS_OF[s.moderated],
                    external_id=s.statement_id,
                )
                for s in export.statements
            ],
            batch_size=BATCH,
        )
        statement_of = dict(
            Statement.objects.filter(conversation=conversation).values_list("external_id", "pk")
        )
        Vote.objects.bulk_create(
            [
                Vote(
                    conversation=conversation,
                    participant_id=participant_of[participant],
                    statement_id=statement_of[statement],
                    value=value,
                )
                for participant, statement, value in zip(
                    latest.participant_ids.tolist(),
                    latest.statement_ids.tolist(),
                    latest.votes.tolist(),
                    strict=True,
                )
            ],
            batch_size=BATCH,
        )
        audit_record(
            actor=actor,
            action="opinion_conversation.imported",
            target=conversation,
            organisation=challenge.organisation,
            data={
                "statements": len(export.statements),
                "participants": len(numbers),
                "votes": len(latest),
                "source": export.url,
            },
        )
        services.analysis_schedule(conversation_id=conversation.pk)
    return conversation


# Export --------------------------------------------------------------------------------------


def _milliseconds(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


def conversation_as_polis(conversation: Conversation) -> PolisConversation:
    """Return ``conversation`` as an export holds it: every statement and current vote."""
    statements = tuple(
        PolisStatement(
            statement_id=pk,
            author_id=author if author is not None else -1,
            body=text,
            moderated=MODERATED_OF[StatementStatus(status)],
            timestamp=_milliseconds(created_at),
        )
        for pk, author, text, status, created_at in Statement.objects.filter(
            conversation=conversation
        )
        .order_by("pk")
        .values_list("pk", "author_id", "text", "status", "created_at")
    )
    votes = tuple(
        PolisVote(
            participant_id=participant,
            statement_id=statement,
            vote=value,
            timestamp=_milliseconds(updated_at),
        )
        for participant, statement, value, updated_at in Vote.objects.filter(
            conversation=conversation
        )
        .order_by("updated_at", "pk")
        .values_list("participant_id", "statement_id", "value", "updated_at")
    )
    return PolisConversation(
        statements=statements,
        votes=votes,
        topic=conversation.question,
        description=conversation.description,
        url=conversation.source_url,
    )


def last_groups(conversation: Conversation) -> dict[int, int]:
    """Return each grouped participant's group in the last map (empty without one)."""
    analysis = Analysis.objects.filter(conversation=conversation, ready=True).first()
    if analysis is None:
        return {}
    participants = analysis.result.get("participants", {})
    ids, groups = participants.get("ids", []), participants.get("groups", [])
    return {int(pid): int(group) for pid, group in zip(ids, groups, strict=True) if group >= 0}


def export_files(conversation: Conversation) -> dict[str, bytes]:
    """Return the four files of the conversation's Pol.is export, by name."""
    polis = conversation_as_polis(conversation)
    with tempfile.TemporaryDirectory(prefix="civicflow-export-") as folder:
        write_export(folder, polis, groups=last_groups(conversation))
        return {name: (Path(folder) / name).read_bytes() for name in EXPORT_FILES}


def export_zip(conversation: Conversation) -> bytes:
    """Return the conversation's Pol.is export as one zip file of its four CSV files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in export_files(conversation).items():
            archive.writestr(name, content)
    return buffer.getvalue()
