"""Reads by meaning: the stored vectors of objects, and the objects most like a text or
another object, limited to what the person asking may see."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicflow.search.registry import searchable_for
from civicflow.similarity import services
from civicflow.similarity.live import live_index
from civicflow.similarity.models import KINDS, LABELS, Embedding

logger = logging.getLogger(__name__)

# Below this cosine similarity an item is not shown as similar, per embedder name: hashed
# TF-IDF shares some character n-grams between any two English texts; a model does not.
MIN_SCORES: dict[str, float] = {"tfidf-hash": 0.15}
DEFAULT_MIN_SCORE = 0.35
# A visible set up to this size is passed to the index as the ids it may return; a larger one
# is checked after the search, asking the index for more until enough are found.
ALLOWED_LIMIT = 20_000
MAX_LIMIT = 50
QUERY_LIMIT = 20_000  # characters of free text embedded for a query
# Up to this many visible objects without a vector (their task has not run yet) are embedded
# during the search, so a missing worker makes results late, never wrong.
LAZY_LIMIT = 100


@dataclass(frozen=True)
class SimilarItem:
    """One object like the text or object asked about, and why it is worth a look."""

    kind: str  # "ideas", "challenges" or "cases"
    object: Any
    score: float  # cosine similarity, 1.0 for the same meaning
    title: str
    url: str
    organisation: str
    reason: str
    same_challenge: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        """The similarity as a whole percentage, for display."""
        return max(0, min(100, round(self.score * 100)))


def min_score(words: int | None = None) -> float:
    """The lowest similarity shown, for the active embedder; lower for a query of a few
    ``words``, which cannot share much with a whole document."""
    floor = MIN_SCORES.get(services.embedder().name, DEFAULT_MIN_SCORE)
    if words is None:
        return floor
    return floor * min(1.0, (1 + max(words, 0)) / 5)


# Vectors ----------------------------------------------------------------------------------


def vectors_for(objects: Sequence[Model]) -> numpy.ndarray:
    """Return the stored vectors (active embedder) of ``objects``, in their order, computing
    and storing missing or stale ones first. An object with nothing to embed gets zeros."""
    active = services.embedder()
    result = numpy.zeros((len(objects), int(active.dimensions)), dtype=numpy.float32)
    by_label: dict[str, list[tuple[int, int]]] = {}
    for position, obj in enumerate(objects):
        by_label.setdefault(obj._meta.label_lower, []).append((position, int(obj.pk)))
    for label, wanted in by_label.items():
        ids = [object_id for _position, object_id in wanted]
        services.embed_objects(label=label, object_ids=ids, using=active)
        stored = dict(
            Embedding.objects.filter(
                label=label,
                object_id__in=ids,
                embedder=active.name,
                embedder_version=active.version,
            ).values_list("object_id", "vector")
        )
        for position, object_id in wanted:
            if object_id in stored:
                result[position] = numpy.frombuffer(bytes(stored[object_id]), numpy.float32)
    return result


def embed_query(text: str) -> numpy.ndarray:
    """Return the vector of free text (not stored)."""
    return services.embedder().embed([text[:QUERY_LIMIT]])[0]


# Searching --------------------------------------------------------------------------------


def _visible(user: Any, key: str, challenge: Any | None) -> QuerySet[Any]:
    queryset = searchable_for(KINDS[key]).visible(user)
    if key == "ideas" and challenge is not None:
        queryset = queryset.filter(challenge_id=challenge.pk)
    return queryset


def _nearest_visible(
    *,
    key: str,
    query: numpy.ndarray,
    visible: QuerySet[Any],
    limit: int,
    exclude: set[int],
    floor: float,
) -> list[tuple[Any, float]]:
    """The ``limit`` visible objects of kind ``key`` nearest to ``query``, with scores."""
    active = services.embedder()
    index = live_index(
        label=KINDS[key],
        embedder=active.name,
        version=active.version,
        dimensions=int(active.dimensions),
    )
    ids = list(visible.values_list("pk", flat=True)[: ALLOWED_LIMIT + 1])
    if len(ids) <= ALLOWED_LIMIT:
        allowed = numpy.asarray([i for i in ids if i not in exclude], dtype=numpy.int64)
        if not len(allowed):
            return []
        _embed_missing(index, KINDS[key], allowed.tolist())
        found = index.search(query, limit, allowed=allowed)
        scores = {object_id: score for object_id, score in found if score >= floor}
    else:
        # Too many to list: search wider and wider, keeping only what the person may see.
        scores = {}
        k = limit * 4
        while True:
            found = index.search(query, k + len(exclude))
            candidates = {i: s for i, s in found if i not in exclude and s >= floor}
            shown = set(visible.filter(pk__in=list(candidates)).values_list("pk", flat=True))
            scores = {i: s for i, s in candidates.items() if i in shown}
            if len(scores) >= limit or len(found) < k or k >= len(index):
                break
            k *= 4
    best = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    objects = visible.model._default_manager.select_related("organisation").in_bulk(
        [object_id for object_id, _score in best]
    )
    return [(objects[i], score) for i, score in best if i in objects]


def _embed_missing(index: Any, label: str, ids: list[int]) -> None:
    """Embed at once the few of ``ids`` that have no vector yet (their task has not run)."""
    index.refresh()
    missing = [i for i in ids if i not in index.ids and i not in index.tried]
    if not missing or len(missing) > LAZY_LIMIT:
        return
    services.embed_objects(label=label, object_ids=missing)
    index.refresh(force=True)
    index.tried.update(missing)  # those with nothing to embed are not tried again


def _search(
    *,
    user: Any,
    query: numpy.ndarray,
    kinds: Sequence[str],
    challenge: Any | None,
    limit: int,
    exclude: dict[str, set[int]] | None = None,
    words: int | None = None,
) -> list[SimilarItem]:
    limit = max(1, min(int(limit), MAX_LIMIT))
    floor = min_score(words)
    if not numpy.any(query):
        return []
    items: list[SimilarItem] = []
    for key in dict.fromkeys(kinds):
        if key not in KINDS:
            raise ValueError(f"{key} is not a kind of similar item. Choose from {list(KINDS)}.")
        visible = _visible(user, key, challenge)
        found = _nearest_visible(
            key=key,
            query=query,
            visible=visible,
            limit=limit,
            exclude=(exclude or {}).get(key, set()),
            floor=floor,
        )
        items.extend(_item(key, obj, score, challenge) for obj, score in found)
    return items


def similar_to_text(
    *, user: Any, text: str, kinds: Sequence[str], challenge: Any | None = None, limit: int = 5
) -> list[SimilarItem]:
    """The objects of ``kinds`` most like ``text`` that ``user`` may see, best first within
    each kind (``limit`` of each); ideas only from ``challenge`` when one is given."""
    text = (text or "").strip()
    if not text:
        return []
    return _search(
        user=user,
        query=embed_query(text),
        kinds=kinds,
        challenge=challenge,
        limit=limit,
        words=len(text.split()),
    )


def similar_to_object(
    *, user: Any, obj: Model, kinds: Sequence[str], limit: int = 5, challenge: Any | None = None
) -> list[SimilarItem]:
    """The objects of ``kinds`` most like ``obj`` that ``user`` may see, leaving ``obj`` out."""
    query = vectors_for([obj])[0]
    own = LABELS.get(obj._meta.label_lower)
    exclude = {own: {int(obj.pk)}} if own else {}
    return _search(
        user=user, query=query, kinds=kinds, challenge=challenge, limit=limit, exclude=exclude
    )


# Reasons to look --------------------------------------------------------------------------


def _item(key: str, obj: Any, score: float, challenge: Any | None) -> SimilarItem:
    organisation = getattr(getattr(obj, "organisation", None), "name", "")
    same_challenge = key == "ideas" and challenge is not None and obj.challenge_id == challenge.pk
    if key == "ideas":
        supporters = int(getattr(obj, "supporters_count", 0))
        reason = ngettext(
            "%(percent)s%% alike; %(count)s supporter",
            "%(percent)s%% alike; %(count)s supporters",
            supporters,
        ) % {"percent": _percent(score), "count": supporters}
    elif key == "cases":
        reason = _("%(percent)s%% alike; tried by %(organisation)s, evidence level %(level)s") % {
            "percent": _percent(score),
            "organisation": organisation,
            "level": getattr(obj, "evidence_level", ""),
        }
    else:
        reason = _("%(percent)s%% alike; a challenge of %(organisation)s") % {
            "percent": _percent(score),
            "organisation": organisation,
        }
    return SimilarItem(
        kind=key,
        object=obj,
        score=score,
        title=str(obj.title),
        url=obj.get_absolute_url(),
        organisation=organisation,
        reason=reason,
        same_challenge=same_challenge,
    )


def _percent(score: float) -> int:
    return max(0, min(100, round(score * 100)))


def reason_to_look(items: Sequence[SimilarItem]) -> str:
    """Sum up why ``items`` are worth a look: "3 similar ideas here; 2 organisations have
    tried this"."""
    parts: list[str] = []
    ideas = sum(1 for item in items if item.kind == "ideas")
    challenges = sum(1 for item in items if item.kind == "challenges")
    organisations = {item.organisation for item in items if item.kind == "cases"}
    if ideas:
        parts.append(
            ngettext("%(count)s similar idea here", "%(count)s similar ideas here", ideas)
            % {"count": ideas}
        )
    if challenges:
        parts.append(
            ngettext("%(count)s similar challenge", "%(count)s similar challenges", challenges)
            % {"count": challenges}
        )
    if organisations:
        parts.append(
            ngettext(
                "%(count)s organisation has tried this",
                "%(count)s organisations have tried this",
                len(organisations),
            )
            % {"count": len(organisations)}
        )
    return "; ".join(parts)


def embedder_notice() -> str | None:
    """Why similarity runs on word matching rather than the model, for administrators."""
    from civicflow.similarity.embedders import embedder_notice as notice

    try:
        return notice()
    except Exception:  # the notice itself must never break a page
        logger.exception("Could not tell which embedder is active")
        return None


# While writing an idea or a challenge ------------------------------------------------------

WRITING_LIMIT = 3
CHECK_MAX = 2_000  # characters of a draft read for the check


@dataclass
class WritingCheck:
    """What someone writing an idea or a challenge should look at first."""

    text: str
    ideas: list[SimilarItem]
    challenges: list[SimilarItem]
    cases: list[SimilarItem]
    reason: str
    notice: str | None = None
    # Ideas the person may support with one click, and whether they may adopt cases.
    supportable: set[int] = field(default_factory=set)
    supported: set[int] = field(default_factory=set)
    adoptable: set[int] = field(default_factory=set)

    @property
    def found(self) -> bool:
        return bool(self.ideas or self.challenges or self.cases)


def draft_text(title: str = "", summary: str = "", body: str = "") -> str:
    """Return the text of a draft to check, from its parts, cut to CHECK_MAX."""
    parts = [(part or "").strip() for part in (title, summary, body)]
    return "\n".join(part for part in parts if part)[:CHECK_MAX]


def _may_administer(user: Any) -> bool:
    from civicflow.accounts.permissions import is_instance_admin
    from civicflow.accounts.selectors import user_roles

    return is_instance_admin(user) or any("admin" in roles for roles in user_roles(user).values())


def while_writing(
    *, user: Any, text: str, writing: str = "idea", challenge: Any | None = None
) -> WritingCheck:
    """The ideas in ``challenge`` (or, for a challenge being written, the challenges) and the
    case studies across the network most like a draft, that ``user`` may see."""
    from civicflow.ideas.permissions import why_cannot_support
    from civicflow.ideas.selectors import supported_among

    text = (text or "").strip()[:CHECK_MAX]
    notice = embedder_notice() if _may_administer(user) else None
    if not text:
        return WritingCheck(text="", ideas=[], challenges=[], cases=[], reason="", notice=notice)
    query = embed_query(text)
    if writing == "idea" and challenge is not None:
        kinds = ["ideas", "cases"]
    else:
        kinds = ["challenges", "cases"]
    items = _search(
        user=user,
        query=query,
        kinds=kinds,
        challenge=challenge,
        limit=WRITING_LIMIT,
        words=len(text.split()),
    )
    ideas = [item for item in items if item.kind == "ideas"]
    cases = [item for item in items if item.kind == "cases"]
    for item in ideas:
        if challenge is not None and item.object.challenge_id == challenge.pk:
            item.object.challenge = challenge  # with its phases, read once for every idea
    supported = supported_among(user=user, ideas=[item.object for item in ideas])
    supportable = {
        item.object.pk
        for item in ideas
        if item.object.pk not in supported and not why_cannot_support(user, item.object)
    }
    return WritingCheck(
        text=text,
        ideas=ideas,
        challenges=[item for item in items if item.kind == "challenges"],
        cases=cases,
        reason=reason_to_look(items),
        notice=notice,
        supportable=supportable,
        supported=supported,
        adoptable=_adoptable(user, [item.object for item in cases]),
    )


def _adoptable(user: Any, cases: list[Any]) -> set[int]:
    """The ids of ``cases`` that ``user`` may adopt for an organisation other than the case's."""
    from civicflow.accounts.selectors import organisations_of
    from civicflow.library.permissions import can_adopt

    if not cases or not getattr(user, "is_authenticated", False):
        return set()
    adopting = {o.pk for o in organisations_of(user) if can_adopt(user, o)}
    return {case.pk for case in cases if adopting - {case.organisation_id}}
