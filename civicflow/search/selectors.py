"""Full-text search across every searchable kind, limited to what the person may see.

One selector for both databases: SQLite's FTS5 (ranked by BM25, title weighted above body)
and PostgreSQL's full-text search (ranked by ``ts_rank_cd`` over a weighted ``tsvector``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection

from civicflow.search.registry import Searchable, searchables

MAX_CANDIDATES = 500
MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchResult:
    """One thing found: what it is, where it is, and an excerpt around the match."""

    kind: str
    kind_name: str
    object: Any
    title: str
    excerpt: str
    url: str
    rank: float


class SearchQueryError(ValueError):
    """Raised when the words searched for cannot be used; the message is for people."""


def query_terms(query: str) -> list[str]:
    """Return the words of ``query`` that the index can match (letters and digits only)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"Search for {MAX_QUERY_LENGTH} characters or fewer.")
    return [word.lower() for word in WORD.findall(query)][:20]


def _candidates_sqlite(terms: list[str], labels: list[str]) -> list[tuple[str, int, float]]:
    # Every word must match, as a prefix; each is quoted so FTS5 syntax in input is inert.
    match = " ".join(f'"{term}"*' for term in terms)
    sql = (
        "SELECT d.label, d.object_id, bm25(search_fts, 4.0, 1.0) AS rank "
        "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH %s AND d.label IN (SELECT value FROM json_each(%s)) "
        "ORDER BY rank LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, json.dumps(labels), MAX_CANDIDATES])
        # BM25 is lower for better matches: turn it round so higher is better everywhere.
        return [(label, object_id, -rank) for label, object_id, rank in cursor.fetchall()]


def _candidates_postgresql(terms: list[str], labels: list[str]) -> list[tuple[str, int, float]]:
    tsquery = " & ".join(f"{term}:*" for term in terms)
    sql = (
        "SELECT label, object_id, ts_rank_cd(document, to_tsquery('english', %s)) AS rank "
        "FROM search_searchdocument "
        "WHERE document @@ to_tsquery('english', %s) AND label = ANY(%s) "
        "ORDER BY rank DESC, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, tsquery, labels, MAX_CANDIDATES])
        return [(label, object_id, float(rank)) for label, object_id, rank in cursor.fetchall()]


def _excerpt(text: str, terms: list[str], width: int = 240) -> str:
    """Return about ``width`` characters of ``text`` around the first searched-for word."""
    lowered = text.lower()
    positions = [lowered.find(term) for term in terms if lowered.find(term) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    excerpt = text[start : start + width].strip()
    if start > 0:
        excerpt = "…" + excerpt
    if start + width < len(text):
        excerpt += "…"
    return excerpt


def search(
    *,
    user: Any,
    query: str,
    kinds: list[str] | None = None,
    filters: dict[str, str] | None = None,
) -> list[SearchResult]:
    """Return what ``user`` may see that matches ``query``, best match first.

    ``kinds`` limits the search to some searchable keys (e.g. ["ideas"]); ``filters`` are
    handed to each kind's own filter (organisation, kind, status...).
    """
    terms = query_terms(query)
    if not terms:
        return []
    rules_by_label: dict[str, Searchable] = {
        label: rules for label, rules in searchables().items() if not kinds or rules.key in kinds
    }
    if not rules_by_label:
        return []
    finder = _candidates_postgresql if connection.vendor == "postgresql" else _candidates_sqlite
    candidates = finder(terms, list(rules_by_label))
    ids_by_label: dict[str, list[int]] = defaultdict(list)
    for label, object_id, _rank in candidates:
        ids_by_label[label].append(object_id)
    visible: dict[tuple[str, int], Any] = {}
    for label, ids in ids_by_label.items():
        rules = rules_by_label[label]
        queryset = rules.apply_filters(rules.visible(user), filters or {})
        for instance in queryset.filter(pk__in=ids):
            visible[(label, instance.pk)] = instance
    results: list[SearchResult] = []
    for label, object_id, rank in candidates:
        instance = visible.get((label, object_id))
        if instance is None:
            continue
        rules = rules_by_label[label]
        document = rules.document(instance)
        if document is None:
            continue
        results.append(
            SearchResult(
                kind=rules.key,
                kind_name=rules.name,
                object=instance,
                title=document.title,
                excerpt=_excerpt(document.body, terms),
                url=rules.url(instance),
                rank=rank,
            )
        )
    return results
