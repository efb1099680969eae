"""Near-duplicate stories: a story opened once under a race, and band keys pruned after the window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tracker import services
from tracker.models import Article, SketchBand, Source, Story
from tracker.services.ingest_store import NEAR_DUPLICATE_WINDOW, sketch_bands_prune

from .servers import SYNTHETIC_PARAGRAPH

pytestmark = pytest.mark.django_db

WIRE = " ".join(f"{SYNTHETIC_PARAGRAPH} Sentence {i} of the synthetic wire copy." for i in range(8))


def _version(outlet: str, *, text: str = WIRE) -> Article:
    source, _ = Source.objects.get_or_create(name=outlet, url=f"https://{outlet}.example/feed.xml")
    article, created = services.article_upsert(
        source=source, url=f"https://{outlet}.example/wire/1", title=f"Wire {outlet}", text=f"{outlet} - {text}"
    )
    assert created
    return article


def test_a_worker_that_loses_the_race_to_open_a_story_joins_the_winners_story(monkeypatch):
    first = _version("outlet-a")
    create = Story.objects.create

    def rival_opens_it_first(**fields):
        # Another worker stores its own version between this worker's read of the first
        # article (no story yet) and this worker's attempt to open the story.
        rival = create(title="Wire outlet-a", fingerprint="rival")
        Article.objects.filter(pk=first.pk).update(story=rival)
        monkeypatch.setattr(Story.objects, "create", create)
        return create(**fields)

    monkeypatch.setattr(Story.objects, "create", rival_opens_it_first)
    second = _version("outlet-b")
    first.refresh_from_db()
    second.refresh_from_db()
    assert Story.objects.count() == 1
    assert first.story_id == second.story_id == Story.objects.get().pk
    assert Story.objects.get().fingerprint == "rival"


def test_band_keys_of_articles_older_than_the_window_are_pruned():
    old = _version("outlet-a")
    recent = _version("outlet-c", text="An unrelated synthetic report on shipbuilding budgets. " * 30)
    Article.objects.filter(pk=old.pk).update(fetched_at=timezone.now() - NEAR_DUPLICATE_WINDOW - timedelta(days=1))
    old_bands = SketchBand.objects.filter(article=old).count()
    assert old_bands > 0

    assert sketch_bands_prune() == old_bands
    assert not SketchBand.objects.filter(article=old).exists()
    assert SketchBand.objects.filter(article=recent).exists()
    # A new version of the old story is no longer matched with it: it stands alone.
    late = _version("outlet-b")
    assert late.story_id is None and Story.objects.count() == 0


def test_versions_inside_the_window_still_become_one_story():
    first = _version("outlet-a")
    Article.objects.filter(pk=first.pk).update(fetched_at=timezone.now() - NEAR_DUPLICATE_WINDOW + timedelta(days=1))
    assert sketch_bands_prune() == 0
    second = _version("outlet-b")
    first.refresh_from_db()
    assert second.story_id is not None and first.story_id == second.story_id
