"""Store ingested articles once: canonical URL, GUID per source, content hash, and stories.

A batch of candidates is checked against the database in one query and written with
one bulk insert; the unique constraints (canonical URL, source + GUID) are the final
word, so two workers racing on the same story still store it once. Near-duplicates
(the same wire story in several outlets) are stored as separate articles and grouped
into one Story, which the dashboard shows once with "also in …".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..ingest import similarity
from ..ingest.urls import canonical_url
from ..models import Article, SketchBand, Source, Story
from ..tagging.normalise import fold

FUTURE_TOLERANCE = timedelta(days=1)
MAX_CANDIDATES = 200
# Articles fetched longer ago than this are no longer near-duplicate candidates (their band keys are pruned).
NEAR_DUPLICATE_WINDOW = timedelta(days=30)
_WORD = re.compile(r"\w+")


def content_hash(title: str, text: str, *, text_words: list[str] | None = None) -> str:
    """Return a hash of the normalised title and text (case, accents and punctuation ignored).

    text_words, when given, are the words of the folded text (see folded_words).
    """
    if text_words is None:
        text_words = folded_words(text)
    normalised = " ".join(folded_words(title) + text_words)  # words, single-spaced
    return hashlib.sha256(normalised.encode()).hexdigest()


def folded_words(text: str) -> list[str]:
    """Return the words of text with case and accents folded (fold keeps a word inside one line)."""
    return _WORD.findall(fold(text))


def _sketch_words(text: str, text_words: list[str]) -> list[str] | None:
    """Return text_words when they are exactly what the sketch would read: an ASCII text
    (folding is then lower-casing) no longer than the part the sketch reads."""
    if text.isascii() and len(text) <= similarity.MAX_WORDS * 12:
        return text_words
    return None


def published_clamp(published: datetime | None, now: datetime) -> datetime | None:
    """Return published, or None when impossible (before 1990, or more than a day in the future).

    A date a few hours ahead is a time-zone slip and is clamped to now.
    """
    if published is None or published.tzinfo is None:
        return None
    if published.year < 1990 or published > now + FUTURE_TOLERANCE:
        return None
    return min(published, now)


@dataclass(frozen=True)
class Candidate:
    """An article about to be stored; url is the canonical URL."""

    url: str
    original_url: str
    title: str
    text: str
    guid: str = ""
    author: str = ""
    published: datetime | None = None
    # The content hash, once screened (see articles_screen).
    digest: str = ""
    # The text's words, kept from the screening when the sketch can reuse them.
    words: list[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(cls, *, url: str, title: str, text: str, guid: str = "", author: str = "", published=None):
        """Return a candidate with a canonical URL (raises InvalidURL for non-http(s) URLs)."""
        return cls(canonical_url(url), url[:2000], title, text, guid[:1000], author[:300], published)


@dataclass
class StoreResult:
    """New articles, how many candidates were duplicates, and the ids of the known ones they matched."""

    new: list[Article] = field(default_factory=list)
    duplicates: int = 0
    known_ids: list[int] = field(default_factory=list)


def _known(source: Source | None, candidates: list[Candidate], hashes: list[str]) -> dict[str, int]:
    """Map every URL, GUID and same-source content hash already stored to its article id."""
    source_id = source.pk if source is not None else None
    condition = Q(url__in=[c.url for c in candidates]) | Q(source=source, content_hash__in=hashes)
    guids = [c.guid for c in candidates if c.guid]
    if source is not None and guids:
        condition |= Q(source=source, guid__in=guids)
    known: dict[str, int] = {}
    rows = Article.objects.filter(condition).values_list("pk", "url", "guid", "content_hash", "source_id")
    for pk, url, guid, digest, row_source in rows:
        known[f"url:{url}"] = pk
        if row_source == source_id:
            known[f"hash:{digest}"] = pk
            if guid:
                known[f"guid:{guid}"] = pk
    return known


def articles_screen(*, source: Source | None, candidates: list[Candidate]) -> tuple[StoreResult, list[Candidate]]:
    """Return the duplicates (counted, with the ids they matched) and the candidates still to store.

    Known means: the same canonical URL (any source), the same GUID from this source,
    or the same normalised text from this source; a candidate repeating an earlier one
    of the same list is a duplicate too. The same text from another source is a new
    version of a story, not a duplicate. One query for the whole list.
    """
    text_words = [folded_words(c.text) for c in candidates]
    hashes = [content_hash(c.title, c.text, text_words=w) for c, w in zip(candidates, text_words, strict=True)]
    known = _known(source, candidates, hashes) if candidates else {}
    result = StoreResult()
    fresh: list[Candidate] = []
    for candidate, digest, words in zip(candidates, hashes, text_words, strict=True):
        keys = [f"url:{candidate.url}", f"hash:{digest}"] + ([f"guid:{candidate.guid}"] if candidate.guid else [])
        hit = next((known[k] for k in keys if k in known), None)
        if hit is not None:
            result.duplicates += 1
            if hit > 0:
                result.known_ids.append(hit)
            continue
        fresh.append(replace(candidate, digest=digest, words=_sketch_words(candidate.text, words)))
        # Later candidates of the list must see this one (a feed listing an item twice).
        for key in keys:
            known[key] = -1
    return result, fresh


def articles_build(*, source: Source | None, candidates: list[Candidate]) -> list[Article]:
    """Return unsaved articles for screened candidates, each with its near-duplicate sketch (CPU only)."""
    now = timezone.now()
    rows = []
    for candidate in candidates:
        if candidate.words is not None:
            signature = similarity.sketch_words(candidate.words)
        else:
            signature = similarity.sketch(candidate.text)
        article = Article(
            source=source,
            url=candidate.url,
            original_url=candidate.original_url,
            guid=candidate.guid,
            title=candidate.title[:1000] or candidate.url[:1000],
            author=candidate.author,
            published_at=published_clamp(candidate.published, now),
            fetched_at=now,
            text=candidate.text,
            content_hash=candidate.digest or content_hash(candidate.title, candidate.text),
            sketch=similarity.pack(signature) if signature else None,
        )
        article._signature = signature
        rows.append(article)
    return rows


def articles_insert(*, rows: list[Article], result: StoreResult) -> None:
    """Insert built articles in one transaction and join them to stories; racing losers count as duplicates.

    The unique constraints are the final word: when another worker stored some of the
    same URLs/GUIDs since the screening, the rows go in one by one.
    """
    if not rows:
        return
    sketches = {id(a): getattr(a, "_signature", None) for a in rows}
    try:
        with transaction.atomic():
            Article.objects.bulk_create(rows)
            _cluster(rows, sketches)
        result.new.extend(rows)
    except IntegrityError:
        for article in rows:
            article.pk = None
            article.story_id = None
            try:
                with transaction.atomic():
                    article.save(force_insert=True)
                    _cluster([article], sketches)
                result.new.append(article)
            except IntegrityError:
                result.duplicates += 1
                existing = Article.objects.filter(url=article.url).values_list("pk", flat=True).first()
                if existing:
                    result.known_ids.append(existing)


def articles_store(*, source: Source | None, candidates: list[Candidate]) -> StoreResult:
    """Store the candidates not yet known (see articles_screen) and group near-duplicates into stories."""
    result, fresh = articles_screen(source=source, candidates=candidates)
    articles_insert(rows=articles_build(source=source, candidates=fresh), result=result)
    return result


def _cluster(articles: list[Article], sketches: dict[int, tuple[int, ...] | None]) -> None:
    """Put each new article in the story of its most similar earlier article, if similar enough."""
    bands: dict[int, list[int]] = {}
    band_rows = []
    for article in articles:
        signature = sketches.get(id(article))
        keys = similarity.band_keys(signature) if signature else []
        bands[article.pk] = keys
        band_rows.extend((article.pk, key) for key in keys)
    by_key: dict[int, set[int]] = {}
    for article_id, key in _bands_exchange(band_rows, limit=MAX_CANDIDATES * len(articles)):
        by_key.setdefault(key, set()).add(article_id)
    new_ids = {a.pk for a in articles}
    exact = {a.content_hash for a in articles if not sketches.get(id(a))}
    same_text: dict[str, list[int]] = {}
    if exact:
        for pk, digest in (
            Article.objects.filter(content_hash__in=exact)
            .exclude(pk__in=new_ids)
            .values_list("pk", "content_hash")[:MAX_CANDIDATES]
        ):
            same_text.setdefault(digest, []).append(pk)
    wanted = {pk for ids in by_key.values() for pk in ids} | {pk for ids in same_text.values() for pk in ids}
    earlier = (
        {
            a.pk: a
            for a in Article.objects.filter(pk__in=wanted).only("pk", "title", "sketch", "story_id", "published_at")
        }
        if wanted
        else {}
    )
    changed: dict[int, Article] = {}
    for article in articles:
        signature = sketches.get(id(article))
        best, best_score = None, 0.0
        if signature:
            ids = {pk for key in bands[article.pk] for pk in by_key.get(key, ())}
            for pk in ids:
                other = earlier.get(pk) or changed.get(pk)
                if other is None or other.sketch is None:
                    continue
                score = similarity.similarity(signature, similarity.unpack(other.sketch))
                if score > best_score:
                    best, best_score = other, score
        else:
            ids = same_text.get(article.content_hash, [])
            best, best_score = (earlier.get(ids[0]), 1.0) if ids else (None, 0.0)
        if best is not None and best_score >= similarity.SAME_STORY:
            if best.story_id is None:
                best.story_id = _story_open(best, article)
            article.story_id = best.story_id
            if article.story_id is not None:
                changed[article.pk] = article
        # Later articles of this batch may join this one.
        for key in bands[article.pk]:
            by_key.setdefault(key, set()).add(article.pk)
        earlier[article.pk] = article
    if changed:
        Article.objects.bulk_update(list(changed.values()), ["story"])


def _story_open(first: Article, second: Article) -> int | None:
    """Return the id of the story first now belongs to: a new one, or the one another worker gave it.

    The story is attached by conditional UPDATE (only while first has none): of two workers
    racing to open a story for the same article, the second waits on the row, updates
    nothing, drops its own story and joins the winner's. None if first has gone.
    """
    story = Story.objects.create(
        title=first.title[:1000],
        fingerprint=second.content_hash,
        first_published_at=first.published_at or second.published_at,
    )
    if Article.objects.filter(pk=first.pk, story__isnull=True).update(story=story):
        return story.pk
    story.delete()
    return Article.objects.filter(pk=first.pk).values_list("story_id", flat=True).first()


def _bands_exchange(rows: list[tuple[int, int]], *, limit: int) -> list[tuple[int, int]]:
    """Store new (article_id, key) band rows; return up to limit earlier rows sharing any of their keys.

    On PostgreSQL this is one statement over two arrays (20 rows per article): the SELECT
    of a data-modifying WITH sees the table as it was before the INSERT, so the new rows
    never find themselves.
    """
    if not rows:
        return []
    ids, keys = [a for a, _ in rows], [k for _, k in rows]
    table = SketchBand._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH added AS (INSERT INTO {table} (article_id, key) SELECT * FROM unnest(%s::bigint[], %s::bigint[]))"
                f" SELECT article_id, key FROM {table} WHERE key = ANY(%s::bigint[]) LIMIT %s",
                [ids, keys, sorted(set(keys)), limit],
            )
            return cursor.fetchall()
    found = list(
        SketchBand.objects.filter(key__in=set(keys))
        .exclude(article_id__in=set(ids))
        .values_list("article_id", "key")[:limit]
    )
    SketchBand.objects.bulk_create(SketchBand(article_id=a, key=k) for a, k in rows)
    return found


def sketch_bands_prune(*, now: datetime | None = None, window: timedelta = NEAR_DUPLICATE_WINDOW) -> int:
    """Delete the band keys of articles fetched more than window ago; return how many went.

    Only articles inside the window are near-duplicate candidates; older ones keep their
    story and sketch, but a new version of them starts a story of its own.
    """
    cutoff = (now or timezone.now()) - window
    deleted, _ = SketchBand.objects.filter(article__fetched_at__lt=cutoff).delete()
    return deleted
