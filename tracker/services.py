"""Where pipeline results meet the ORM. Every write goes through a function here."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from .ingest.feeds import NotAFeed, parse_feed
from .ingest.fetch import FetchError, FetchPolicy, PermanentFetchError, TransientFetchError, fetch
from .ingest.pages import NoArticleText, extract_article
from .ingest.types import ExtractedArticle, FeedEntry
from .ingest.urls import InvalidURL, canonical_url
from .models import (
    Actor,
    ActorAlias,
    ActorMention,
    ActorRole,
    Article,
    ArticleDispute,
    Dispute,
    DisputeParty,
    Event,
    Source,
    Statement,
    StatementReport,
    SystemAlias,
    SystemMention,
    WeaponsSystem,
)
from .tagging.normalise import fold
from .tagging.pipeline import tag_article
from .tagging.types import ActorEntry, DisputeEntry, RoleEntry, SystemEntry
from .tagging.vocabulary import Vocabulary

log = logging.getLogger(__name__)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=24)
PageFetcher = Callable[[str], ExtractedArticle]


# --- reference data -----------------------------------------------------------------


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def reference_load(*, directory: Path = REFERENCE_DIR) -> dict[str, int]:
    """Create or update actors, systems and disputes from the JSON files in directory."""
    actors = json.loads((directory / "actors.json").read_text(encoding="utf-8"))
    systems = json.loads((directory / "systems.json").read_text(encoding="utf-8"))
    counts = {"actors": 0, "systems": 0, "disputes": 0, "milestones": 0}
    by_slug: dict[str, Actor] = {}
    for row in actors:
        actor, _ = Actor.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "role": row.get("role") or "",
                "country": row.get("country") or "",
                "gender": row.get("gender") or "",
                "status": Actor.Status.CONFIRMED,
            },
        )
        by_slug[actor.slug] = actor
        _replace_aliases(actor, row.get("aliases", []), row.get("metonyms", []))
        _replace_roles(actor, row.get("roles", []))
        counts["actors"] += 1
    for row in actors:
        affiliation = by_slug.get(row.get("affiliation") or "")
        actor = by_slug[row["slug"]]
        if actor.affiliation_id != (affiliation.pk if affiliation else None):
            actor.affiliation = affiliation
            actor.save(update_fields=["affiliation", "updated_at"])
    for row in systems:
        system, _ = WeaponsSystem.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "category": row.get("category") or "",
                "maker": by_slug.get(row.get("maker") or ""),
                "origin": by_slug.get(row.get("origin") or ""),
            },
        )
        wanted = set(row.get("aliases", [])) - {""}
        system.aliases.exclude(text__in=wanted).delete()
        existing = set(system.aliases.values_list("text", flat=True))
        SystemAlias.objects.bulk_create([SystemAlias(system=system, text=t) for t in sorted(wanted - existing)])
        counts["systems"] += 1
    for path in sorted((directory / "disputes").glob("*.json")):
        counts["milestones"] += _load_dispute(json.loads(path.read_text(encoding="utf-8")), by_slug)
        counts["disputes"] += 1
    return counts


def _replace_aliases(actor: Actor, aliases: Iterable[str], metonyms: Iterable[str]) -> None:
    wanted = {(t, ActorAlias.Kind.NAME) for t in aliases if t} | {(t, ActorAlias.Kind.METONYM) for t in metonyms if t}
    current = {(a.text, a.kind): a for a in actor.aliases.all()}
    stale = [a.pk for key, a in current.items() if key not in wanted]
    if stale:
        ActorAlias.objects.filter(pk__in=stale).delete()
    texts_kept = {text for (text, _kind) in current if (text, _kind) in wanted}
    ActorAlias.objects.bulk_create(
        [ActorAlias(actor=actor, text=t, kind=k) for (t, k) in sorted(wanted) if (t, k) not in current and t not in texts_kept]
    )


def _replace_roles(actor: Actor, roles: list[dict]) -> None:
    wanted = [(r["title"], _date(r.get("from")), _date(r.get("to")), list(r.get("descriptions", []))) for r in roles]
    current = [(r.title, r.start, r.end, r.descriptions) for r in actor.roles.all()]
    if sorted(map(repr, wanted)) == sorted(map(repr, current)):
        return
    actor.roles.all().delete()
    ActorRole.objects.bulk_create(
        [ActorRole(actor=actor, title=t, start=s, end=e, descriptions=d) for (t, s, e, d) in wanted]
    )


def _load_dispute(row: dict, by_slug: dict[str, Actor]) -> int:
    dispute, _ = Dispute.objects.update_or_create(
        slug=row["slug"],
        defaults={
            "name": row["name"],
            "summary": row.get("summary", ""),
            "status": row.get("status", Dispute.Status.ACTIVE),
            "start_date": _date(row.get("start_date")),
            "keywords": row.get("keywords", []),
        },
    )
    for party in row.get("parties", []):
        DisputeParty.objects.update_or_create(
            dispute=dispute, actor=by_slug[party["actor"]], defaults={"side": party["side"]}
        )
    dispute.party_links.exclude(actor__slug__in=[p["actor"] for p in row.get("parties", [])]).delete()
    dispute.systems.set(WeaponsSystem.objects.filter(slug__in=row.get("systems", [])))
    for milestone in row.get("milestones", []):
        Event.objects.update_or_create(
            dispute=dispute,
            date=_date(milestone["date"]),
            title=milestone["title"],
            defaults={
                "kind": milestone.get("kind", Event.Kind.OTHER),
                "description": milestone.get("description", ""),
                "review": Event.Review.CONFIRMED,
            },
        )
    return len(row.get("milestones", []))


# --- vocabulary ---------------------------------------------------------------------

_vocabulary_cache: dict[str, Vocabulary] = {}


def _reference_version() -> str:
    stamp = [
        Actor.objects.exclude(status=Actor.Status.REJECTED).aggregate(n=Count("id"), t=Max("updated_at")),
        ActorAlias.objects.aggregate(n=Count("id"), m=Max("id")),
        SystemAlias.objects.aggregate(n=Count("id"), m=Max("id")),
        ActorRole.objects.aggregate(n=Count("id"), m=Max("id")),
        DisputeParty.objects.aggregate(n=Count("id"), m=Max("id")),
        WeaponsSystem.objects.aggregate(n=Count("id"), m=Max("id")),
        Dispute.objects.aggregate(n=Count("id"), m=Max("id")),
    ]
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]


def vocabulary_load(*, force: bool = False) -> Vocabulary:
    """Return the tagging vocabulary, rebuilt only when reference data has changed."""
    version = _reference_version()
    cached = _vocabulary_cache.get("current")
    if cached is not None and cached.version == version and not force:
        return cached
    aliases: dict[int, list[ActorAlias]] = {}
    for alias in ActorAlias.objects.all():
        aliases.setdefault(alias.actor_id, []).append(alias)
    roles: dict[int, list[RoleEntry]] = {}
    for role in ActorRole.objects.all():
        roles.setdefault(role.actor_id, []).append(
            RoleEntry(role.title, role.start, role.end, tuple(role.descriptions or ()))
        )
    actors = {
        a.pk: ActorEntry(
            id=a.pk,
            name=a.name,
            kind=a.kind,
            gender=a.gender,
            aliases=tuple(x.text for x in aliases.get(a.pk, []) if x.kind == ActorAlias.Kind.NAME),
            metonyms=tuple(x.text for x in aliases.get(a.pk, []) if x.kind == ActorAlias.Kind.METONYM),
            roles=tuple(roles.get(a.pk, [])),
            candidate=a.status == Actor.Status.CANDIDATE,
        )
        for a in Actor.objects.exclude(status=Actor.Status.REJECTED)
    }
    system_aliases: dict[int, list[str]] = {}
    for alias in SystemAlias.objects.all():
        system_aliases.setdefault(alias.system_id, []).append(alias.text)
    systems = {
        s.pk: SystemEntry(s.pk, s.name, tuple(system_aliases.get(s.pk, []))) for s in WeaponsSystem.objects.all()
    }
    disputes = {}
    for d in Dispute.objects.prefetch_related("party_links", "systems"):
        disputes[d.pk] = DisputeEntry(
            id=d.pk,
            slug=d.slug,
            name=d.name,
            party_ids=frozenset(p.actor_id for p in d.party_links.all()),
            system_ids=frozenset(s.pk for s in d.systems.all()),
            keywords=tuple(d.keywords or ()),
        )
    vocabulary = Vocabulary(actors=actors, systems=systems, disputes=disputes, version=version)
    _vocabulary_cache["current"] = vocabulary
    return vocabulary


# --- articles -----------------------------------------------------------------------


def content_hash(title: str, text: str) -> str:
    normalised = re.sub(r"\W+", " ", fold(f"{title}\n{text}")).strip()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _clamp_published(published: datetime | None, now: datetime) -> datetime | None:
    """Return published unless it is impossible (before 1990 or in the future)."""
    if published is None:
        return None
    if published.year < 1990:
        return None
    if published > now + timedelta(days=1):
        return None
    return min(published, now)


def article_upsert(
    *,
    source: Source | None,
    url: str,
    title: str,
    text: str,
    guid: str = "",
    author: str = "",
    published: datetime | None = None,
) -> tuple[Article, bool]:
    """Store an article once: by canonical URL, by (source, guid) and by content hash."""
    canonical = canonical_url(url)
    now = timezone.now()
    digest = content_hash(title, text)
    existing = Article.objects.filter(
        Q(url=canonical) | Q(content_hash=digest) | (Q(source=source, guid=guid) if guid and source else Q(pk=None))
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            article = Article.objects.create(
                source=source,
                url=canonical,
                original_url=url[:2000],
                guid=guid[:1000],
                title=title[:1000] or canonical,
                author=author[:300],
                published_at=_clamp_published(published, now),
                fetched_at=now,
                text=text,
                content_hash=digest,
            )
    except IntegrityError:
        # Another worker stored it between our check and our insert.
        return Article.objects.get(url=canonical), False
    return article, True


@dataclass
class IngestSummary:
    new_ids: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    not_modified: bool = False


def source_ingest_payload(
    *, source: Source, body: bytes, url: str, page_fetcher: PageFetcher | None = None
) -> IngestSummary:
    """Store the articles of a fetched document (a feed, or a page for page sources)."""
    summary = IngestSummary()
    if source.kind == Source.Kind.PAGE:
        extracted = extract_article(body, url)
        article, created = article_upsert(
            source=source,
            url=extracted.url or url,
            title=extracted.title,
            text=extracted.text,
            author=extracted.author,
            published=extracted.published,
        )
        if created:
            summary.new_ids.append(article.pk)
        else:
            summary.duplicates += 1
        return summary
    for entry in parse_feed(body, base_url=url):
        try:
            _ingest_entry(source, entry, page_fetcher, summary)
        except (FetchError, NoArticleText, InvalidURL) as exc:
            summary.failed += 1
            summary.errors.append(f"{entry.url[:200]}: {exc}")
    return summary


def _ingest_entry(source: Source, entry: FeedEntry, page_fetcher: PageFetcher | None, summary: IngestSummary) -> None:
    canonical = canonical_url(entry.url)
    if Article.objects.filter(Q(url=canonical) | (Q(source=source, guid=entry.guid) if entry.guid else Q(pk=None))).exists():
        summary.duplicates += 1
        return
    title, text, author, published = entry.title, entry.text, entry.author, entry.published
    if not entry.has_full_text and source.fetch_full_text and page_fetcher is not None:
        page = page_fetcher(entry.url)
        text = page.text or text
        author = author or page.author
        published = published or page.published
    article, created = article_upsert(
        source=source, url=entry.url, title=title, text=text, guid=entry.guid, author=author, published=published
    )
    if created:
        summary.new_ids.append(article.pk)
    else:
        summary.duplicates += 1


def _policy() -> FetchPolicy:
    return FetchPolicy(user_agent=settings.INGEST_USER_AGENT, allow_private=settings.INGEST_ALLOW_PRIVATE_NETWORKS)


def page_fetch(url: str) -> ExtractedArticle:
    """Fetch an article page and extract its text."""
    result = fetch(url, policy=_policy())
    return extract_article(result.body, result.url)


def _claim(source_id: int) -> bool:
    now = timezone.now()
    return bool(
        Source.objects.filter(pk=source_id)
        .filter(Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - CLAIM_TIMEOUT))
        .update(fetching_since=now)
    )


def source_fetch(*, source_id: int) -> IngestSummary | None:
    """Fetch one source now and store its new articles; None if another worker holds it."""
    if not _claim(source_id):
        return None
    source = Source.objects.get(pk=source_id)
    now = timezone.now()
    try:
        result = fetch(source.url, policy=_policy(), etag=source.etag, last_modified=source.last_modified)
        if result.not_modified:
            summary = IngestSummary(not_modified=True)
        else:
            summary = source_ingest_payload(source=source, body=result.body, url=result.url, page_fetcher=page_fetch)
    except (TransientFetchError, PermanentFetchError, NotAFeed, NoArticleText) as exc:
        _record_failure(source, exc, now)
        return IngestSummary(failed=1, errors=[str(exc)])
    except Exception as exc:  # a parser bug must mark the source, not kill the fan-out
        log.exception("source %s (%s) failed unexpectedly", source.pk, source.url)
        _record_failure(source, exc, now)
        return IngestSummary(failed=1, errors=[f"{type(exc).__name__}: {exc}"])
    Source.objects.filter(pk=source.pk).update(
        last_fetched_at=now,
        last_success_at=now,
        last_status=Source.Status.NOT_MODIFIED if summary.not_modified else Source.Status.OK,
        last_http_status=result.status,
        last_error="; ".join(summary.errors)[:5000],
        consecutive_failures=0,
        etag=result.etag[:500] if not summary.not_modified else source.etag,
        last_modified=result.last_modified[:100] if not summary.not_modified else source.last_modified,
        next_fetch_at=now + _jittered(source.fetch_interval),
        fetching_since=None,
    )
    return summary


def _jittered(interval: timedelta) -> timedelta:
    return interval * random.uniform(0.9, 1.1)


def _record_failure(source: Source, exc: Exception, now: datetime) -> None:
    transient = isinstance(exc, TransientFetchError)
    failures = source.consecutive_failures + 1
    delay = min(MAX_BACKOFF, source.fetch_interval * (2 ** min(failures - 1, 10)))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    Source.objects.filter(pk=source.pk).update(
        last_fetched_at=now,
        last_status=Source.Status.TRANSIENT if transient else Source.Status.PERMANENT,
        last_http_status=getattr(exc, "status", None),
        last_error=f"{type(exc).__name__}: {exc}"[:5000],
        consecutive_failures=failures,
        next_fetch_at=now + _jittered(delay),
        fetching_since=None,
    )


def sources_lease_due(*, now: datetime | None = None, lease: timedelta = CLAIM_TIMEOUT) -> list[int]:
    """Return the ids of due sources, pushing each one's next fetch time past the lease.

    The conditional update means a second scheduler (two beats by mistake) or the next
    fan-out cannot queue the same source again while its fetch is waiting in the queue.
    """
    now = now or timezone.now()
    leased = []
    for source_id, next_fetch_at in Source.objects.due(now).order_by("next_fetch_at").values_list("pk", "next_fetch_at"):
        won = Source.objects.filter(pk=source_id, next_fetch_at=next_fetch_at).update(next_fetch_at=now + lease)
        if won:
            leased.append(source_id)
    return leased


# --- tagging ------------------------------------------------------------------------


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
            ActorMention.objects.get_or_create(article=article, actor_id=speaker_id, defaults={"count": 1, "offsets": []})
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
        if not created and article.published_at and (
            statement.first_reported_at is None or article.published_at < statement.first_reported_at
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


# --- sources ------------------------------------------------------------------------


def sources_import(*, subscriptions) -> tuple[int, int]:
    """Create a feed Source per subscription not yet known (by URL); return (created, existing)."""
    created = existing = 0
    for sub in subscriptions:
        _source, was_created = Source.objects.get_or_create(
            url=sub.url, defaults={"name": sub.title, "kind": Source.Kind.FEED}
        )
        created += was_created
        existing += not was_created
    return created, existing
