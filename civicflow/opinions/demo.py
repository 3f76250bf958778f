"""A demo opinion map for the demo network (``civicflow.demo.network``).

The council's open call on missed bin collections holds a conversation with 24 statements
and 300 simulated residents whose votes fall into three opinion groups (from
``analysis.simulation``), with the map already worked out. The conversation and its seed
statements are made through the services; the simulated participants and their votes are
written in bulk, as an import would write them. Loading twice changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from civicflow.accounts.models import Organisation, User
from civicflow.challenges.models import Challenge
from civicflow.opinions import services
from civicflow.opinions.analysis.simulation import simulate_conversation
from civicflow.opinions.models import Conversation, Participant, Vote

COUNCIL = "northbridge-council"
CHALLENGE = "Fewer missed bin collections"
QUESTION = "What would get every bin emptied first time?"
DESCRIPTION = (
    "Vote on each statement: agree, disagree or pass if you are unsure. Add your own if "
    "something is missing. The map shows where residents and crews agree and where they split."
)
PARTICIPANTS = 300
GROUPS = 3
SEED = 12

# Statements everyone tends to agree with, everyone tends to disagree with, and the ones that
# split the groups. The simulation decides which statements every group leans the same way on;
# each is given a text from the matching list, so the map's consensus reads sensibly.
AGREED = (
    "Crews should be told about new estates before the first residents move in",
    "People with mobility needs should get an assisted collection automatically",
    "Return visits should happen within two working days",
    "Crews should knock if a bin is hard to reach",
    "The council should publish how many bins each round misses",
    "Flats need communal bins that crews can always reach",
)
DISAGREED = (
    "Missed bins are a small problem compared with fly-tipping",
    "Garden waste collections should stop in winter",
    "Residents should wait a week for a missed bin to be collected",
    "Nothing needs to change about how rounds are planned",
    "Crews should skip streets where parked cars block the way",
)
DIVIDING = (
    "Bins should be collected every week, not every fortnight",
    "Residents who put bins out late should pay for a return visit",
    "Parking should be banned on collection mornings on narrow streets",
    "The council should fine households that leave bins on the pavement",
    "Parked cars are the main reason bins are missed on my street",
    "The council should text people the evening before collection day",
    "Missed bins should be reported through an app with a photo",
    "Crews should photograph bins that were not put out",
    "Narrow streets need smaller lorries",
    "Collection times should be the same every week",
    "Crews are doing their best with the time they have",
    "Residents should be able to track the lorry online",
    "Bin day reminders should be printed on the council tax bill",
    "Rounds should be redesigned using data on missed bins",
    "Recycling rules are too confusing, so bins get left",
    "Savings from fewer return visits should go back into street cleaning",
)
STATEMENTS = 24


def statement_texts(leans: list[list[int]]) -> list[str]:
    """Return a text for each simulated statement, given each group's lean on each."""
    pools = {1: list(AGREED), -1: list(DISAGREED), 0: list(DIVIDING)}
    texts = []
    for column in range(len(leans[0])):
        column_leans = {group[column] for group in leans}
        kind = column_leans.pop() if len(column_leans) == 1 else 0
        pool = pools[kind] or pools[0] or pools[1] or pools[-1]
        texts.append(pool.pop(0))
    return texts


@transaction.atomic
def load_demo() -> None:
    """Add the demo opinion map to the demo network. Needs the demo challenges."""
    organisation = Organisation.objects.filter(slug=COUNCIL).first()
    if organisation is None:
        raise LookupError("Load the demo network first: the council is missing.")
    challenge = Challenge.objects.filter(organisation=organisation, title=CHALLENGE).first()
    if challenge is None:
        raise LookupError("Load the demo challenges first: the bins challenge is missing.")
    if Conversation.objects.filter(challenge=challenge, question=QUESTION).exists():
        return
    lead = User.objects.get(email=f"lead@{COUNCIL}.example")
    conversation = services.conversation_create(
        actor=lead, challenge=challenge, question=QUESTION, description=DESCRIPTION
    )
    simulated = simulate_conversation(
        participants=PARTICIPANTS,
        statements=STATEMENTS,
        groups=GROUPS,
        min_seen=0.4,
        max_seen=0.9,
        seed=SEED,
    )
    statements = [
        services.statement_add(actor=lead, conversation=conversation, text=text)
        for text in statement_texts(simulated.leans.tolist())
    ]
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, external_id=number)
            for number in range(PARTICIPANTS)
        ]
    )
    participant_of = dict(
        Participant.objects.filter(conversation=conversation).values_list("external_id", "pk")
    )
    votes = simulated.votes
    Vote.objects.bulk_create(
        [
            Vote(
                conversation=conversation,
                participant_id=participant_of[participant],
                statement_id=statements[column].pk,
                value=value,
            )
            for participant, column, value in zip(
                votes.participant_ids.tolist(),
                votes.statement_ids.tolist(),
                votes.votes.tolist(),
                strict=True,
            )
        ],
        batch_size=2000,
    )
    services.analysis_refresh(conversation_id=conversation.pk)
