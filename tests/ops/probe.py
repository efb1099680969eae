"""Look at (or prepare) a project database from outside the test process.

The fault tests run the product as separate processes on their own databases; this is
how they read and seed those databases: `python -m tests.ops.probe COMMAND '[args]'`
with DATABASE_URL and CELERY_BROKER_URL in the environment. Prints one line of JSON.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")


def sources_create(base_url: str, feeds: list[int], interval_minutes: int = 60) -> list[int]:
    from tracker.models import Source

    ids = []
    for feed in feeds:
        source, _ = Source.objects.get_or_create(
            url=f"{base_url}/feeds/{feed}.xml",
            defaults={"name": f"Synthetic feed {feed}", "fetch_interval": timedelta(minutes=interval_minutes)},
        )
        ids.append(source.pk)
    return ids


def sources_make_due() -> int:
    from django.utils import timezone

    from tracker.models import Source

    return Source.objects.update(next_fetch_at=timezone.now())


def fetch_enqueue(ids: list[int]) -> dict:
    from tracker.tasks import source_fetch_task

    for source_id in ids:
        source_fetch_task.delay(source_id)
    return {"queued": len(ids)}


def user_create(username: str, password: str, staff: bool = False) -> int:
    from django.contrib.auth import get_user_model

    model = get_user_model()
    if staff:
        user = model.objects.create_superuser(username=username, password=password, email=f"{username}@example.test")
    else:
        user = model.objects.create_user(username=username, password=password)
    return user.pk


def ingest_state() -> dict:
    """Articles per state, each article's GUID and text tail, and each source's status."""
    from django.db.models import Count

    from tracker.models import Article, Source

    articles = list(Article.objects.values("id", "guid", "source_id", "state", "text", "tag_error"))
    return {
        "articles": len(articles),
        "states": dict(Counter(a["state"] for a in articles)),
        "guids": sorted(a["guid"] for a in articles),
        "texts": {a["guid"]: a["text"] for a in articles},
        "tag_errors": [a["tag_error"] for a in articles if a["tag_error"]][:10],
        "duplicate_guids": list(
            Article.objects.values("source", "guid").annotate(n=Count("id")).filter(n__gt=1).values_list("guid", "n")
        ),
        "sources": {
            str(s["id"]): {
                "status": s["last_status"],
                "success": s["last_success_at"].isoformat() if s["last_success_at"] else None,
                "error": s["last_error"],
                "claimed": s["fetching_since"] is not None,
            }
            for s in Source.objects.values("id", "last_status", "last_success_at", "last_error", "fetching_since")
        },
    }


def tag_sets_check() -> dict:
    """Compare every article's stored tag set with a fresh run of the tagger on its text.

    A half-written tag set (mentions without dispute links, a statement without its
    report) shows up as a mismatch.
    """
    from tracker import services
    from tracker.models import Article
    from tracker.tagging.pipeline import tag_article

    vocabulary = services.vocabulary_load()
    mismatches, checked = [], 0
    for article in Article.objects.filter(state=Article.State.TAGGED).iterator():
        published = article.published_at.date() if article.published_at else None
        result = tag_article(title=article.title, text=article.text, published=published, vocabulary=vocabulary)
        expected_systems = {m.id for m in result.mentions if m.kind != "actor"}
        expected_actors = {m.id for m in result.mentions if m.kind == "actor"}
        expected_disputes = {d.id for d in result.disputes}
        stored_systems = set(article.system_mentions.values_list("system_id", flat=True))
        stored_actors = set(article.actor_mentions.values_list("actor_id", flat=True))
        stored_disputes = set(article.dispute_links.values_list("dispute_id", flat=True))
        reports = article.statement_reports.count()
        problems = []
        if stored_systems != expected_systems:
            problems.append(f"systems {sorted(stored_systems)} != {sorted(expected_systems)}")
        if not expected_actors <= stored_actors:
            problems.append(f"actors {sorted(stored_actors)} miss {sorted(expected_actors - stored_actors)}")
        if stored_disputes != expected_disputes:
            problems.append(f"disputes {sorted(stored_disputes)} != {sorted(expected_disputes)}")
        if bool(result.statements) != bool(reports) or reports > len(result.statements):
            problems.append(f"{reports} statement reports for {len(result.statements)} statements")
        if problems:
            mismatches.append({"article": article.pk, "problems": problems})
        checked += 1
    return {"checked": checked, "mismatches": mismatches[:20], "mismatch_count": len(mismatches)}


# --- curated data, for backup and restore ----------------------------------------------------------


def curated_populate() -> dict:
    """Reference data plus curated work on top: reviewed statements, edited events, a renamed alias."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tracker import services
    from tracker.models import Actor, ActorAlias, Article, Dispute, Event, Source, Statement

    services.reference_load()
    editor = get_user_model().objects.create_user(username="curator", password="curator-pass-123", is_staff=True)
    akar = Actor.objects.get(name="Hulusi Akar")
    alias = ActorAlias.objects.create(actor=akar, text="the defence minister (synthetic alias)")
    alias.text = "the Turkish defence minister (synthetic alias)"
    alias.save()
    source = Source.objects.create(name="Synthetic backup wire", url="http://127.0.0.1:9/backup.xml")
    article = Article.objects.create(
        source=source,
        url="http://127.0.0.1:9/backup/1",
        guid="backup-1",
        title="Synthetic backup article",
        text='Synthetic text for the backup test. "The S-400 deal is done," Hulusi Akar said.',
        content_hash="0" * 64,
        published_at=timezone.now(),
    )
    for number, review in enumerate(Statement.Review.values):
        Statement.objects.create(
            speaker=akar,
            text=f"Synthetic statement {number} about the S-400 ({review}).",
            kind=Statement.Kind.DIRECT,
            article=article,
            start=0,
            end=10,
            said_on=date(2019, 6, 7),
            review=review,
            fingerprint=f"backup-{number}",
        )
    dispute = Dispute.objects.get(slug="turkey-s400-f35")
    event = Event.objects.create(
        dispute=dispute, date=date(2019, 7, 12), title="Synthetic milestone: first deliveries", review="proposed"
    )
    event.review = Event.Review.CONFIRMED
    event.save()
    event.articles.add(article)
    return {"editor": editor.pk}


CURATED = [
    ("tracker", "Actor"),
    ("tracker", "ActorAlias"),
    ("tracker", "ActorRole"),
    ("tracker", "WeaponsSystem"),
    ("tracker", "SystemAlias"),
    ("tracker", "Dispute"),
    ("tracker", "DisputeParty"),
    ("tracker", "Source"),
    ("tracker", "Article"),
    ("tracker", "Statement"),
    ("tracker", "Event"),
    ("tracker", "HistoricalActorAlias"),
    ("tracker", "HistoricalEvent"),
    ("auth", "User"),
]


def curated_snapshot() -> dict:
    """Every curated row, field by field (many-to-many links included), keyed by model."""
    from django.apps import apps

    snapshot = {}
    for app_label, name in CURATED:
        model = apps.get_model(app_label, name)
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "search_vector"]
        rows = [[str(v) for v in row] for row in model.objects.order_by("pk").values_list(*fields)]
        snapshot[f"{app_label}.{name}"] = rows
        for m2m in model._meta.many_to_many:
            links = model.objects.filter(**{f"{m2m.name}__isnull": False}).values_list("pk", m2m.name)
            snapshot[f"{app_label}.{name}.{m2m.name}"] = sorted([a, b] for a, b in links)
    from tracker.models import Statement

    snapshot["statement_reviews"] = sorted(set(Statement.objects.values_list("review", flat=True)))
    return snapshot


COMMANDS = {
    f.__name__: f
    for f in (
        sources_create,
        sources_make_due,
        fetch_enqueue,
        user_create,
        ingest_state,
        tag_sets_check,
        curated_populate,
        curated_snapshot,
    )
}


def main() -> None:
    import django

    django.setup()
    command, args = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "[]")
    print(json.dumps(COMMANDS[command](*args), default=str))


if __name__ == "__main__":
    main()
