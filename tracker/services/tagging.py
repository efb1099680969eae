"""Tag stored articles: mentions, statements, candidate actors and proposed events, replaced in one transaction."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from ..models import (
    Actor,
    ActorMention,
    Article,
    ArticleDispute,
    Event,
    Statement,
    StatementReport,
    SystemMention,
)
from ..tagging.evaluation import overlap
from ..tagging.lexicon import ORGANISATION_WORDS
from ..tagging.normalise import fold
from ..tagging.pipeline import tag_article
from ..tagging.types import ProposedEvent, StatementSpan
from ..tagging.vocabulary import Vocabulary, alias_variants
from .rollups import rollups_refresh_for_article
from .vocabulary import vocabulary_load

# Two reports are one statement when the same speaker said near-identical words (one outlet
# trims a quote, another keeps a trailing clause): Dice overlap of word tokens at least this.
SAME_STATEMENT_OVERLAP = 0.8
SAME_STATEMENT_DAYS = 3
EVENT_WINDOW_DAYS = 3
_NON_WORD = re.compile(r"[\W_]+")


def statement_text_key(text: str) -> str:
    """Return text normalised for comparison: folded, quote marks and punctuation dropped, spaces collapsed."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def statement_fingerprint(*, speaker_key: str, text: str) -> str:
    """Return the fingerprint that merges reports of one statement: speaker + normalised text."""
    return hashlib.sha256(f"{speaker_key}|{statement_text_key(text)}".encode()).hexdigest()


def _candidate_actor(name: str, evidence: str) -> Actor:
    """Return the candidate actor for an unknown speaker, creating it with the evidence sentence."""
    slug = slugify(fold(name))[:110] or "unknown"
    kind = Actor.Kind.ORGANISATION if name.split()[-1].lower() in ORGANISATION_WORDS else Actor.Kind.PERSON
    actor, _ = Actor.objects.get_or_create(
        slug=slug,
        defaults={"name": name[:200], "kind": kind, "status": Actor.Status.CANDIDATE, "evidence": evidence[:2000]},
    )
    return actor


def _speaker_key(span: StatementSpan, speaker_id: int | None, article: Article) -> str:
    if speaker_id is not None:
        return f"actor:{speaker_id}"
    if span.anonymous and len(statement_text_key(span.text).split()) >= 8:
        return "anonymous"  # a long anonymous quote carried by several outlets is one statement
    return f"article:{article.pk}:{span.start}:{span.in_title}"


def _find_same_statement(speaker_id: int | None, span: StatementSpan, article: Article) -> Statement | None:
    """Return an earlier statement by the same speaker whose words nearly match (another outlet's report)."""
    if speaker_id is None:
        return None
    candidates = Statement.objects.filter(speaker_id=speaker_id).exclude(review=Statement.Review.REJECTED)
    if span.said_on is not None:
        window = timedelta(days=SAME_STATEMENT_DAYS)
        candidates = candidates.filter(
            Q(said_on__range=(span.said_on - window, span.said_on + window)) | Q(said_on__isnull=True)
        )
    elif article.published_at is not None:
        window = timedelta(days=SAME_STATEMENT_DAYS * 2)
        candidates = candidates.filter(
            first_reported_at__range=(article.published_at - window, article.published_at + window)
        )
    for statement in candidates.only("id", "text")[:200]:
        if overlap(statement.text, span.text) >= SAME_STATEMENT_OVERLAP:
            return statement
    return None


@transaction.atomic
def article_tag(*, article_id: int, vocabulary: Vocabulary | None = None) -> Article:
    """Replace an article's mentions, statements and dispute links with a fresh tagging."""
    article = Article.objects.select_for_update().get(pk=article_id)
    vocabulary = vocabulary or vocabulary_load()
    published = article.published_at.date() if article.published_at else None
    result = tag_article(title=article.title, text=article.text, published=published, vocabulary=vocabulary)

    article.actor_mentions.all().delete()
    article.system_mentions.all().delete()
    article.dispute_links.all().delete()
    previous = set(article.statement_reports.values_list("statement_id", flat=True))
    previous_days = set(
        Statement.objects.filter(pk__in=previous, said_on__isnull=False).values_list("said_on", flat=True)
    )
    article.statement_reports.all().delete()

    # Descriptions ("Turkey's defence minister") name someone only when that person speaks.
    by_actor: dict[int, list[list[int]]] = {}
    by_system: dict[int, list[list[int]]] = {}
    title_counts: dict[tuple[str, int], int] = {}
    for m in result.mentions:
        if m.via != "description":
            (by_actor if m.kind == "actor" else by_system).setdefault(m.id, []).append([m.start, m.end])
    for m in result.title_mentions:
        if m.via != "description":
            title_counts[(m.kind, m.id)] = title_counts.get((m.kind, m.id), 0) + 1
            (by_actor if m.kind == "actor" else by_system).setdefault(m.id, [])
    for s in result.statements:
        if s.speaker_id is not None:
            by_actor.setdefault(s.speaker_id, [])

    dispute_ids = [d.id for d in result.disputes]
    speaker_ids: dict[int, int] = {}  # statement index -> candidate actor id
    for index, span in enumerate(result.statements):
        if span.speaker_id is None and span.candidate:
            actor = _candidate_actor(span.speaker_text, span.evidence)
            speaker_ids[index] = actor.pk
            by_actor.setdefault(actor.pk, [])
    ActorMention.objects.bulk_create(
        [
            ActorMention(
                article=article,
                actor_id=a,
                count=max(1, len(o) + title_counts.get(("actor", a), 0)),
                offsets=o,
            )
            for a, o in by_actor.items()
        ]
    )
    SystemMention.objects.bulk_create(
        [
            SystemMention(
                article=article, system_id=s, count=max(1, len(o) + title_counts.get(("system", s), 0)), offsets=o
            )
            for s, o in by_system.items()
        ]
    )
    ArticleDispute.objects.bulk_create(
        [ArticleDispute(article=article, dispute_id=d.id, score=d.score) for d in result.disputes]
    )
    for index, span in enumerate(result.statements):
        _statement_store(article, span, speaker_ids.get(index, span.speaker_id), dispute_ids)
    _drop_orphan_statements(previous)
    _events_propose(article, result.events)
    article.state = Article.State.TAGGED
    article.tag_error = ""
    article.tagged_at = timezone.now()
    article.save(update_fields=["state", "tag_error", "tagged_at"])
    rollups_refresh_for_article(article_id=article.pk, extra_days=previous_days)
    return article


def _statement_store(article: Article, span: StatementSpan, speaker_id: int | None, dispute_ids: list[int]) -> None:
    start, end = (0, 0) if span.in_title else (span.start, span.end)
    fingerprint = statement_fingerprint(speaker_key=_speaker_key(span, speaker_id, article), text=span.text)
    statement = Statement.objects.filter(fingerprint=fingerprint).first() or _find_same_statement(
        speaker_id, span, article
    )
    if statement is None:
        statement = Statement.objects.create(
            fingerprint=fingerprint,
            speaker_id=speaker_id,
            anonymous=span.anonymous,
            speaker_text=span.speaker_text[:300],
            text=span.text,
            kind=span.kind,
            article=article,
            start=start,
            end=end,
            said_on=span.said_on,
            first_reported_at=article.published_at,
            stance=span.stance,
            confidence=span.confidence,
        )
    elif article.published_at and (
        statement.first_reported_at is None or article.published_at < statement.first_reported_at
    ):
        statement.article, statement.start, statement.end = article, start, end
        statement.first_reported_at = article.published_at
        statement.save(update_fields=["article", "start", "end", "first_reported_at"])
    StatementReport.objects.get_or_create(statement=statement, article=article, defaults={"start": start, "end": end})
    statement.systems.add(*span.system_ids)
    statement.disputes.add(*dispute_ids)


def _drop_orphan_statements(statement_ids: set[int]) -> None:
    """Remove statements no article reports any more; re-point the rest at a surviving report."""
    for statement in Statement.objects.filter(pk__in=statement_ids).exclude(review=Statement.Review.CONFIRMED):
        report = statement.reports.select_related("article").order_by("article__published_at", "id").first()
        if report is None:
            statement.delete()
        elif report.article_id != statement.article_id:
            statement.article_id, statement.start, statement.end = report.article_id, report.start, report.end
            statement.save(update_fields=["article", "start", "end"])


def _events_propose(article: Article, proposals: Iterable[ProposedEvent]) -> None:
    """Attach the article to a matching event, or propose a new one for an admin to confirm.

    An event of the same dispute and kind within a few days (confirmed, proposed or rejected)
    is the same milestone reported again, so nothing new is proposed for it.
    """
    fallback = article.published_at.date() if article.published_at else None
    for proposal in proposals:
        day = proposal.date or fallback
        if day is None:
            continue
        window = timedelta(days=EVENT_WINDOW_DAYS)
        existing = Event.objects.filter(
            dispute_id=proposal.dispute_id, kind=proposal.kind, date__range=(day - window, day + window)
        ).first()
        if existing is None:
            existing, _ = Event.objects.get_or_create(
                dispute_id=proposal.dispute_id,
                date=day,
                title=proposal.title[:300],
                defaults={"kind": proposal.kind, "review": Event.Review.PROPOSED, "evidence": proposal.evidence[:5000]},
            )
        existing.articles.add(article)


def article_mark_failed(*, article_id: int, error: str) -> None:
    Article.objects.filter(pk=article_id).update(state=Article.State.FAILED, tag_error=error[:5000])


def articles_affected_by_reference(
    *, texts: Iterable[str] = (), actor_ids: Iterable[int] = (), system_ids: Iterable[int] = ()
) -> list[int]:
    """Return the ids of articles a reference-data edit may change: they mention the edited actor or
    system now, or their text contains one of the (old or new) alias spellings."""
    ids: set[int] = set()
    actor_ids, system_ids = list(actor_ids), list(system_ids)
    if actor_ids:
        ids |= set(ActorMention.objects.filter(actor_id__in=actor_ids).values_list("article_id", flat=True))
        ids |= set(Statement.objects.filter(speaker_id__in=actor_ids).values_list("reports__article_id", flat=True))
    if system_ids:
        ids |= set(SystemMention.objects.filter(system_id__in=system_ids).values_list("article_id", flat=True))
    query = Q()
    for text in {v for t in texts if t and t.strip() for v in alias_variants(t)}:
        query |= Q(text__icontains=text) | Q(title__icontains=text)
    if query:
        ids |= set(Article.objects.filter(query).values_list("pk", flat=True))
    ids.discard(None)
    return sorted(ids)
