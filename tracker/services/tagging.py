"""Tag stored articles: mentions, statements and dispute links, replaced in one transaction."""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..models import Actor, ActorMention, Article, ArticleDispute, Statement, StatementReport, SystemMention
from ..tagging.normalise import fold
from ..tagging.pipeline import tag_article
from ..tagging.vocabulary import Vocabulary
from .vocabulary import vocabulary_load


def _statement_fingerprint(speaker_key: str, text: str) -> str:
    normalised = re.sub(r"\W+", " ", fold(text)).strip()
    return hashlib.sha256(f"{speaker_key}|{normalised}".encode()).hexdigest()


def _candidate_actor(name: str, evidence: str) -> Actor:
    slug = slugify(fold(name))[:110] or "unknown"
    actor, _ = Actor.objects.get_or_create(
        slug=slug,
        defaults={"name": name[:200], "status": Actor.Status.CANDIDATE, "evidence": evidence[:2000]},
    )
    return actor


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
    article.statement_reports.all().delete()

    by_actor: dict[int, list[list[int]]] = {}
    by_system: dict[int, list[list[int]]] = {}
    for m in result.mentions:
        (by_actor if m.kind == "actor" else by_system).setdefault(m.id, []).append([m.start, m.end])
    speaker_ids = {s.speaker_id for s in result.statements if s.speaker_id}
    for speaker_id in speaker_ids - by_actor.keys():
        by_actor[speaker_id] = []
    ActorMention.objects.bulk_create(
        [ActorMention(article=article, actor_id=a, count=max(1, len(o)), offsets=o) for a, o in by_actor.items()]
    )
    SystemMention.objects.bulk_create(
        [SystemMention(article=article, system_id=s, count=len(o), offsets=o) for s, o in by_system.items()]
    )
    ArticleDispute.objects.bulk_create(
        [ArticleDispute(article=article, dispute_id=d.id, score=d.score) for d in result.disputes]
    )
    dispute_ids = [d.id for d in result.disputes]
    for span in result.statements:
        speaker_id = span.speaker_id
        if speaker_id is None and not span.anonymous and span.speaker_text:
            speaker_id = _candidate_actor(span.speaker_text, article.text[max(0, span.start - 200) : span.end + 50]).pk
            ActorMention.objects.get_or_create(
                article=article, actor_id=speaker_id, defaults={"count": 1, "offsets": []}
            )
        speaker_key = str(speaker_id) if speaker_id else f"anon:{article.pk}:{span.start}"
        statement, created = Statement.objects.get_or_create(
            fingerprint=_statement_fingerprint(speaker_key, span.text),
            defaults={
                "speaker_id": speaker_id,
                "anonymous": span.anonymous,
                "speaker_text": span.speaker_text[:300],
                "text": span.text,
                "kind": span.kind,
                "article": article,
                "start": span.start,
                "end": span.end,
                "said_on": span.said_on,
                "first_reported_at": article.published_at,
                "stance": span.stance,
                "confidence": span.confidence,
            },
        )
        if (
            not created
            and article.published_at
            and (statement.first_reported_at is None or article.published_at < statement.first_reported_at)
        ):
            statement.article, statement.start, statement.end = article, span.start, span.end
            statement.first_reported_at = article.published_at
            statement.save(update_fields=["article", "start", "end", "first_reported_at"])
        StatementReport.objects.get_or_create(
            statement=statement, article=article, defaults={"start": span.start, "end": span.end}
        )
        statement.systems.add(*span.system_ids)
        statement.disputes.add(*dispute_ids)
    _drop_orphan_statements(previous)
    article.state = Article.State.TAGGED
    article.tag_error = ""
    article.tagged_at = timezone.now()
    article.save(update_fields=["state", "tag_error", "tagged_at"])
    return article


def _drop_orphan_statements(statement_ids: set[int]) -> None:
    """Remove statements no article reports any more; re-point the rest at a surviving report."""
    for statement in Statement.objects.filter(pk__in=statement_ids).exclude(review=Statement.Review.CONFIRMED):
        report = statement.reports.select_related("article").order_by("article__published_at", "id").first()
        if report is None:
            statement.delete()
        elif report.article_id != statement.article_id:
            statement.article_id, statement.start, statement.end = report.article_id, report.start, report.end
            statement.save(update_fields=["article", "start", "end"])


def article_mark_failed(*, article_id: int, error: str) -> None:
    Article.objects.filter(pk=article_id).update(state=Article.State.FAILED, tag_error=error[:5000])
