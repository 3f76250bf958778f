"""Themes: a challenge's ideas grouped by meaning, each named by its distinctive words.

Pure functions: ids, texts and vectors in, plain data out; no Django, no database. The same
input always gives the same themes.

Grouping is average-linkage agglomerative clustering on cosine distance, cut at the number of
themes with the best silhouette (between 2 and ``max_themes``); above ``EXACT_LIMIT`` ideas
mini-batch k-means with a fixed seed takes its place, scored on a fixed sample. Groups smaller
than ``min_size`` are left out, though an idea about as close to a theme's centre as its own
ideas joins it; the rest fit no theme. Ideas with an empty text (a zero vector)
fit no theme either. When there is no structure worth cutting (very few ideas, or all alike),
every idea with a text forms one theme.

A theme's keywords are the words and two-word phrases found in many of its ideas and few of the
others (document frequency inside against outside), without stop words in English or Welsh and
without tokens made only of digits. Example ideas are those closest to the theme's centre.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from civicflow.similarity.duplicates import normalised

MAX_THEMES = 12
MIN_SIZE = 2
KEYWORDS = 5
LABEL_WORDS = 3
EXAMPLES = 3
# Above this many ideas, mini-batch k-means replaces the exact O(n²) clustering.
EXACT_LIMIT = 2000
SILHOUETTE_SAMPLE = 2000
SEED = 20261122
# A best silhouette below this means the ideas do not fall into groups.
MIN_SILHOUETTE = 0.02
# An idea left out of every group joins the nearest one if at least this close, relative to
# how close that group's own ideas are to its centre.
ATTACH_FRACTION = 0.6
# Fewer ideas than this always make one theme: there is too little to tell groups apart.
MIN_IDEAS_TO_SPLIT = 4


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH_STOP_WORDS = _word_set(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst an and another any anyhow anyone anything anyway anywhere
    are around as at be became because become becomes becoming been before beforehand behind
    being below beside besides between beyond both but by can cannot could did do does doing
    done down due during each either else elsewhere enough etc even ever every everyone
    everything everywhere except few first for former formerly from further get gets getting
    give given go going got had has have having he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however i if in indeed instead into is it its
    itself just keep last latter latterly least less let lets like made make makes making many
    may me meanwhile might mine more moreover most mostly much must my myself namely neither
    never nevertheless next no nobody none noone nor not nothing now nowhere of off often on
    once one only onto or other others otherwise our ours ourselves out over own per perhaps
    please put quite rather really same see seem seemed seeming seems several she should since
    so some somehow someone something sometime sometimes somewhere still such take than that the
    their theirs them themselves then thence there thereafter thereby therefore therein
    thereupon these they thing things this those though through throughout thru thus to together
    too toward towards under until up upon us use used uses using very via want was we well were
    what whatever when whence whenever where whereafter whereas whereby wherein whereupon
    wherever whether which while whither who whoever whole whom whose why will with within
    without would yet you your yours yourself yourselves able also around better way ways
    idea ideas new need needs lot lots people local
    """
)

# Common Welsh function words: articles, prepositions (and their mutated forms), pronouns,
# conjunctions, particles and forms of "bod" (to be), so Welsh ideas are named by what they are
# about.
WELSH_STOP_WORDS = _word_set(
    """
    a ac ag am amdano amdani ar arall at atynt bod bob bod canys chan chi chwi da dan dy dyma
    dyna dydy dydw dyw e ei eich eisiau ein eu ef efo ei eiddo fe fel felly fi fod fy fyddai
    fydd fyddwn gan gyda gydag hefyd hi hwn hon hwy hwythau hyn hynny i iddo iddi iddynt ie
    im mae maen mai mewn mi mo na nac nad nage naill ni nid nhw o oedd oes oherwydd os pan
    pa pam pawb peidio pob pe rhag rhai rhaid rydw rydych rydyn rwy sef sut syn tan tra trwy
    trwyddo tros dros wedi wrth y ych ydw ydy ydych ydyn ydynt yma ymhlith yn ynddo ynddi yno
    yr ysydd ychydig yw yng ynghylch ynglŷn hyd heb neu ond ble beth pwy faint gallu gall
    gallai gellid byddai bydd byddwn roedd wnaeth gwneud cael
    """
)

STOP_WORDS = ENGLISH_STOP_WORDS | WELSH_STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
MIN_TOKEN_LENGTH = 3
MAX_TOKEN_LENGTH = 40


@dataclass(frozen=True)
class Theme:
    """A group of ideas: its members (most typical first), keywords, label and examples."""

    members: tuple[int, ...]
    keywords: tuple[str, ...]
    label: str
    examples: tuple[int, ...]
    cohesion: float

    @property
    def size(self) -> int:
        return len(self.members)


def tokens(text: str) -> list[str]:
    """Return the content words of ``text``: lower case, no stop words, no digits-only tokens.

    Possessive endings are dropped ("council's" is "council"); a word keeps letters with
    accents and circumflexes (Welsh "ŵ", "ŷ").
    """
    return [word for word, _written in _words_with_gaps(text) if word]


def _words_with_gaps(text: str) -> list[tuple[str, str]]:
    """Return the content words of ``text`` in lower case and as written, with ("", "")
    where a left-out word was."""
    words = []
    text = text or ""
    for match in _TOKEN.finditer(text):
        written = re.split(r"['’]", match.group())[0]
        word = written.lower()
        if _starts_sentence(text, match.start()) and written[1:] == written[1:].lower():
            written = word  # "Benches at…": the capital is the sentence's, not the word's
        if (
            MIN_TOKEN_LENGTH <= len(word) <= MAX_TOKEN_LENGTH
            and word not in STOP_WORDS
            and not word.isdigit()
            and any(char.isalpha() for char in word)
        ):
            words.append((word, written))
        else:
            words.append(("", ""))  # a gap: no phrase spans a left-out word
    return words


def _starts_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t\"'‘“(")
    return not before or before[-1] in ".!?:\n"


def _stem(word: str) -> str:
    """Fold simple English plurals together ("bins" and "bin"); other words are unchanged."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass
class _Document:
    terms: set[str]
    surfaces: Counter[str]


def _document(text: str) -> _Document:
    words = _words_with_gaps(text)
    terms: set[str] = set()
    surfaces: Counter[str] = Counter()
    previous, previous_written = "", ""
    for word, written in words:
        if not word:
            previous = ""
            continue
        term = _stem(word)
        terms.add(term)
        surfaces[f"{term}\t{written}"] += 1
        if previous:
            phrase_term = f"{_stem(previous)} {term}"
            terms.add(phrase_term)
            surfaces[f"{phrase_term}\t{previous_written} {written}"] += 1
        previous, previous_written = word, written
    return _Document(terms=terms, surfaces=surfaces)


def keywords_for(
    groups: Sequence[Sequence[str]], *, count: int = KEYWORDS
) -> list[tuple[str, ...]]:
    """Return, for each group of texts, the words and phrases that set it apart from the rest.

    A term scores ``p_in · log(p_in / p_out)``, where ``p_in`` is the share of the group's
    texts that use it and ``p_out`` the (smoothed) share of the other texts; terms no more
    common inside than outside never count. In a group of two or more texts a term must occur
    in at least two of them. A term that shares a word with a better one is left out, so a
    phrase hides its words.
    """
    documents = [[_document(text) for text in group] for group in groups]
    frequency: list[Counter[str]] = []
    surfaces: Counter[str] = Counter()
    for group in documents:
        counts: Counter[str] = Counter()
        for document in group:
            counts.update(document.terms)
            surfaces.update(document.surfaces)
        frequency.append(counts)
    total: Counter[str] = Counter()
    for counts in frequency:
        total.update(counts)
    sizes = [len(group) for group in documents]
    everyone = sum(sizes)
    shown = _surface_forms(surfaces)
    result = []
    for counts, size in zip(frequency, sizes, strict=True):
        outside = everyone - size
        scored = []
        for term, inside_count in counts.items():
            if size >= 2 and inside_count < 2:
                continue
            p_in = inside_count / size
            p_out = (total[term] - inside_count + 0.5) / (outside + 1)
            if p_in <= p_out:
                continue
            bonus = 1.1 if " " in term else 1.0  # a phrase reads better than its words
            scored.append((p_in * math.log(p_in / p_out) * bonus, term))
        scored.sort(key=lambda item: (-item[0], item[1]))
        picked: list[str] = []
        for _score, term in scored:
            words = set(term.split(" "))
            if any(words & set(other.split(" ")) for other in picked):
                continue
            picked.append(term)
            if len(picked) == count:
                break
        result.append(tuple(shown[term] for term in picked))
    return result


def _surface_forms(surfaces: Counter[str]) -> dict[str, str]:
    """Return, for each term, how it is most often written (ties: alphabetically first),
    in lower case whenever it is ever written so: names keep their capitals ("Sundays")."""
    forms: dict[str, Counter[str]] = {}
    for key, seen in surfaces.items():
        term, surface = key.split("\t", 1)
        forms.setdefault(term, Counter())[surface] += seen
    shown = {}
    for term, counts in forms.items():
        pool = {surface: n for surface, n in counts.items() if surface == surface.lower()}
        shown[term] = min((pool or counts).items(), key=lambda item: (-item[1], item[0]))[0]
    return shown


def label_for(keywords: Sequence[str], *, words: int = LABEL_WORDS) -> str:
    """Return a readable label from a theme's first keywords: "Bus stops, shelters, timetables"."""
    chosen = [keyword for keyword in keywords[:words] if keyword]
    if not chosen:
        return ""
    text = ", ".join(chosen)
    return text[0].upper() + text[1:]


def _labels(matrix: np.ndarray, max_themes: int, min_size: int) -> np.ndarray | None:
    """Return a cluster label per row with the best silhouette, or None if there is no structure.

    A cut that leaves more than half the ideas in groups smaller than ``min_size`` is not
    considered: themes that name only a few ideas help nobody.
    """
    from sklearn.metrics import silhouette_score

    count = len(matrix)
    highest = min(max_themes, count - 1)
    if highest < 2 or count < MIN_IDEAS_TO_SPLIT:
        return None

    def enough_grouped(labels: np.ndarray) -> bool:
        sizes = Counter(labels.tolist())
        return sum(size for size in sizes.values() if size >= min_size) * 2 >= count

    distinct = np.unique(np.round(matrix, 5), axis=0)
    if len(distinct) < 2:
        return None
    best: tuple[float, int, np.ndarray] | None = None
    if count <= EXACT_LIMIT:
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import pdist, squareform

        distances = np.clip(pdist(matrix.astype(np.float64), metric="cosine"), 0.0, 2.0)
        tree = linkage(distances, method="average")
        square = squareform(distances)
        for k in range(2, highest + 1):
            labels = fcluster(tree, t=k, criterion="maxclust")
            found = len(set(labels.tolist()))
            if found < 2 or found >= count or not enough_grouped(labels):
                continue
            score = float(silhouette_score(square, labels, metric="precomputed"))
            if best is None or score > best[0] + 1e-9:
                best = (score, k, labels)
    else:
        from sklearn.cluster import MiniBatchKMeans

        for k in range(2, highest + 1):
            labels = MiniBatchKMeans(
                n_clusters=k, n_init=3, random_state=SEED, batch_size=1024
            ).fit_predict(matrix)
            if len(set(labels.tolist())) < 2 or not enough_grouped(labels):
                continue
            score = float(
                silhouette_score(
                    matrix,
                    labels,
                    metric="cosine",
                    sample_size=min(SILHOUETTE_SAMPLE, count),
                    random_state=SEED,
                )
            )
            if best is None or score > best[0] + 1e-9:
                best = (score, k, labels)
    if best is None or best[0] < MIN_SILHOUETTE:
        return None
    return np.asarray(best[2])


def _attach_stragglers(
    matrix: np.ndarray, groups: list[list[int]], present: list[int]
) -> list[list[int]]:
    """Return ``groups`` with each idea left out of all of them added to the nearest group,
    when it is about as close to that group's centre as the group's own ideas are.

    "About as close" is at least ``ATTACH_FRACTION`` of the members' mean similarity to the
    centre, so the rule holds for embedders whose similarities run high or low alike.
    """
    if not groups:
        return groups
    grouped = {row for rows in groups for row in rows}
    centres = []
    typical = []
    for rows in groups:
        centre = matrix[rows].mean(axis=0)
        norm = float(np.linalg.norm(centre))
        centre = centre / norm if norm > 1e-12 else centre
        centres.append(centre)
        typical.append(float(np.mean(matrix[rows] @ centre)))
    result = [list(rows) for rows in groups]
    for row in present:
        if row in grouped:
            continue
        scores = np.asarray(centres) @ matrix[row]
        best = int(np.argmax(scores))
        if scores[best] > 0 and scores[best] >= ATTACH_FRACTION * typical[best]:
            result[best].append(row)
    return result


def group_into_themes(
    ids: Sequence[int],
    texts: Sequence[str],
    vectors: np.ndarray,
    *,
    max_themes: int = MAX_THEMES,
    min_size: int = MIN_SIZE,
    keywords: int = KEYWORDS,
    examples: int = EXAMPLES,
) -> list[Theme]:
    """Return the themes of the ideas ``ids`` (with their ``texts`` and ``vectors``).

    Largest themes first, then the closest-knit. An idea belongs to at most one theme; ideas
    that fit none (an empty text, or a group smaller than ``min_size``) are in none.
    """
    if not (len(ids) == len(texts) == len(vectors)):
        raise ValueError("ids, texts and vectors must have the same length")
    if len(set(ids)) != len(ids):
        raise ValueError("ids must be distinct")
    if not ids:
        return []
    order = sorted(range(len(ids)), key=lambda row: ids[row])  # the input order never matters
    id_list = [int(ids[row]) for row in order]
    text_list = [texts[row] or "" for row in order]
    matrix = normalised(np.asarray(vectors)[order])
    present = [row for row in range(len(id_list)) if np.any(matrix[row])]
    if not present:
        return []
    labels = _labels(matrix[present], max_themes, min_size)
    groups: dict[int, list[int]] = {}
    for position, row in enumerate(present):
        label = 0 if labels is None else int(labels[position])
        groups.setdefault(label, []).append(row)
    kept = [rows for rows in groups.values() if len(rows) >= min(min_size, len(present))]
    kept = _attach_stragglers(matrix, kept, present)
    kept_rows = {row for rows in kept for row in rows}
    # Keywords are weighed against every other idea with a text, grouped or not.
    leftover = [row for row in present if row not in kept_rows]
    groups_texts = [[text_list[row] for row in rows] for rows in kept]
    if leftover:
        groups_texts.append([text_list[row] for row in leftover])
    words = keywords_for(groups_texts, count=keywords)
    themes = []
    for rows, theme_words in zip(kept, words, strict=False):
        block = matrix[rows]
        centre = block.mean(axis=0)
        norm = float(np.linalg.norm(centre))
        closeness = block @ (centre / norm) if norm > 1e-12 else np.zeros(len(rows))
        ranked = sorted(
            zip(rows, closeness.tolist(), strict=True),
            key=lambda item: (-item[1], id_list[item[0]]),
        )
        members = tuple(id_list[row] for row, _score in ranked)
        themes.append(
            Theme(
                members=members,
                keywords=theme_words,
                label=label_for(theme_words),
                examples=members[:examples],
                cohesion=round(float(np.mean(closeness)) if len(rows) else 0.0, 6),
            )
        )
    themes.sort(key=lambda theme: (-theme.size, -theme.cohesion, min(theme.members)))
    return themes
