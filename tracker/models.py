"""The domain: disputes, their actors and systems, sources, articles and what they say."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history import register


class Actor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person"
        ORGANISATION = "organisation"
        STATE = "state"
        COMPANY = "company"
        ALLIANCE = "alliance"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed"
        CANDIDATE = "candidate", "candidate (proposed by the pipeline)"
        REJECTED = "rejected"

    class Gender(models.TextChoices):
        MALE = "male"
        FEMALE = "female"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2")
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    affiliation = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    evidence = models.TextField(blank=True, help_text="Sentence that proposed a candidate actor")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # Admin review queue: candidates, newest first.
            models.Index(fields=["status", "-created_at"], name="actor_status_created"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actor", args=[self.slug])


class ActorAlias(models.Model):
    class Kind(models.TextChoices):
        NAME = "name"
        METONYM = "metonym", "metonym (Ankara for Turkey)"

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NAME)

    class Meta:
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["actor", "text"], name="actor_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.actor}"


class ActorRole(models.Model):
    """A dated office, so that "the Pentagon chief" resolves to whoever held it then."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=300)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    descriptions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="actor_role_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor}: {self.title}"


class WeaponsSystem(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True)
    maker = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="systems_made")
    origin = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="systems_originated"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("system", args=[self.slug])


class SystemAlias(models.Model):
    system = models.ForeignKey(WeaponsSystem, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "system aliases"
        constraints = [
            models.UniqueConstraint(fields=["system", "text"], name="system_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.system}"


class Dispute(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active"
        DORMANT = "dormant"
        RESOLVED = "resolved"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    parties = models.ManyToManyField(Actor, through="DisputeParty", related_name="disputes")
    systems = models.ManyToManyField(WeaponsSystem, related_name="disputes", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dispute", args=[self.slug])


class DisputeParty(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="party_links")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="party_links")
    side = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "dispute parties"
        constraints = [
            models.UniqueConstraint(fields=["dispute", "actor"], name="dispute_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.side}) in {self.dispute}"


class SourceQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(active=True).filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "RSS/Atom/JSON feed"
        PAGE = "page", "single HTML article page"
        SITEMAP = "sitemap", "news sitemap"

    class Status(models.TextChoices):
        NEVER = "never", "never fetched"
        OK = "ok"
        NOT_MODIFIED = "not_modified", "not modified (304)"
        TRANSIENT = "transient", "transient error"
        PERMANENT = "permanent", "permanent error"

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FEED)
    active = models.BooleanField(default=True)
    fetch_interval = models.DurationField(default=timedelta(minutes=30))
    fetch_full_text = models.BooleanField(
        default=True, help_text="Fetch the linked page when a feed item carries only a summary"
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEVER)
    last_http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    fetching_since = models.DateTimeField(
        null=True, blank=True, help_text="Set while a worker holds the source (one fetch at a time)"
    )
    fetch_token = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Which task holds the claim; its retry may take it over"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The fan-out task: active sources whose next_fetch_at has passed.
            models.Index(fields=["active", "next_fetch_at"], name="source_due"),
        ]

    def __str__(self) -> str:
        return self.name


class Story(models.Model):
    """Near-duplicate articles (the same wire story in several outlets)."""

    title = models.CharField(max_length=1000)
    fingerprint = models.CharField(max_length=64, db_index=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class ArticleQuerySet(models.QuerySet):
    def published_between(self, start, end):
        return self.filter(published_at__gte=start, published_at__lt=end)

    def for_dispute(self, dispute):
        return self.filter(dispute_links__dispute=dispute)

    def mentioning(self, actor):
        return self.filter(actor_mentions__actor=actor)


class Article(models.Model):
    class State(models.TextChoices):
        NEW = "new"
        TAGGED = "tagged"
        FAILED = "failed"

    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    url = models.URLField(max_length=2000, unique=True, help_text="Canonical URL")
    original_url = models.URLField(max_length=2000, blank=True)
    guid = models.CharField(max_length=1000, blank=True)
    title = models.CharField(max_length=1000)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    tag_error = models.TextField(blank=True)
    tagged_at = models.DateTimeField(null=True, blank=True)
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    sketch = models.BinaryField(
        null=True, blank=True, editable=False, help_text="MinHash signature of the text (near-duplicate detection)"
    )
    # Kept by a PostgreSQL trigger (title + text) and GIN-indexed there; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"], condition=~Q(guid=""), name="article_source_guid_unique"
            ),
        ]
        indexes = [
            # Timelines and "latest articles": newest first.
            models.Index(fields=["-published_at"], name="article_published"),
            # Coverage by source and the source-health page.
            models.Index(fields=["source", "-published_at"], name="article_source_published"),
            # The dashboard's newest tagging (its cache version) and the articles tagged since.
            models.Index(fields=["tagged_at"], name="article_tagged"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", args=[self.pk])


class SketchBand(models.Model):
    """One LSH band key of an article's MinHash sketch: articles sharing a key are near-duplicate candidates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sketch_bands")
    key = models.BigIntegerField()

    class Meta:
        indexes = [
            # Near-duplicate lookup: which articles share any of these band keys.
            models.Index(fields=["key"], name="sketch_band_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.article_id}"


class HostThrottle(models.Model):
    """The next moment a request to a host may start (politeness shared by all workers)."""

    host = models.CharField(max_length=255, unique=True)
    next_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.host} after {self.next_at:%H:%M:%S}"


class ArticleDispute(models.Model):
    """An article's relevance to a dispute, as scored by the tagger."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="dispute_links")
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "dispute"], name="article_dispute_unique"),
        ]
        indexes = [
            models.Index(fields=["dispute", "article"], name="article_dispute_by_dispute"),
            # Dashboard cache: a dispute's newest link, part of its version (dashboard/cache.py).
            # Statement.disputes has the same index on its through table (migration 0009).
            models.Index(fields=["dispute", "id"], name="article_dispute_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.dispute_id} ({self.score:.2f})"


class ActorMention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="actor_mentions")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField()
    offsets = models.JSONField(default=list, help_text="[[start, end], ...] into the article text")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "actor"], name="actor_mention_unique"),
        ]
        indexes = [
            models.Index(fields=["actor", "article"], name="actor_mention_by_actor"),
            # Dashboard cache: an actor's newest mention and their number, part of its version.
            models.Index(fields=["actor", "id"], name="actor_mention_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ×{self.count} in {self.article_id}"


class SystemMention(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="system_mentions")
    system = models.ForeignKey(WeaponsSystem, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField()
    offsets = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "system"], name="system_mention_unique"),
        ]
        indexes = [
            models.Index(fields=["system", "article"], name="system_mention_by_system"),
            # Dashboard cache: a system's newest mention and their number, part of its version.
            # Statement.systems has (weaponssystem, id) on its through table (migration 0012).
            models.Index(fields=["system", "id"], name="system_mention_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.system} ×{self.count} in {self.article_id}"


class StatementQuerySet(models.QuerySet):
    def for_dispute(self, dispute):
        return self.filter(disputes=dispute)

    def with_related(self):
        return self.select_related("speaker", "article", "article__source")


class Statement(models.Model):
    """Who said what, when. One statement may be carried by several articles (reports)."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "direct quote"
        REPORTED = "reported", "reported speech"

    class Stance(models.TextChoices):
        ESCALATING = "escalating"
        CONCILIATORY = "conciliatory"
        NEUTRAL = "neutral"

    class Review(models.TextChoices):
        PROPOSED = "proposed"
        CONFIRMED = "confirmed"
        REJECTED = "rejected"

    speaker = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements")
    anonymous = models.BooleanField(default=False)
    speaker_text = models.CharField(max_length=300, blank=True, help_text="The speaker as the article names them")
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="statements", help_text="First article that reported it"
    )
    start = models.PositiveIntegerField(help_text="Character offset into the first article's text")
    end = models.PositiveIntegerField()
    said_on = models.DateField(null=True, blank=True)
    first_reported_at = models.DateTimeField(null=True, blank=True)
    stance = models.CharField(max_length=20, choices=Stance.choices, default=Stance.NEUTRAL)
    confidence = models.FloatField(default=0.5)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.PROPOSED)
    fingerprint = models.CharField(max_length=64, help_text="Speaker + normalised text, to merge reports")
    systems = models.ManyToManyField(WeaponsSystem, related_name="statements", blank=True)
    disputes = models.ManyToManyField(Dispute, related_name="statements", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by a PostgreSQL trigger (speaker_text + text) and GIN-indexed there; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fingerprint"], name="statement_fingerprint_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="statement_offsets_ordered"),
        ]
        indexes = [
            # Latest statements and the timeline: by date said.
            models.Index(fields=["-said_on", "-id"], name="statement_said_on"),
            # Actor page: a speaker's statements over time.
            models.Index(fields=["speaker", "-said_on"], name="statement_speaker_said_on"),
            # Dashboard cache: a speaker's newest statement, part of the actor page's version.
            models.Index(fields=["speaker", "id"], name="statement_speaker_newest"),
        ]

    def __str__(self) -> str:
        who = self.speaker.name if self.speaker else (self.speaker_text or "anonymous")
        return f"{who}: {self.text[:80]}"


class StatementReport(models.Model):
    """One article carrying a statement, with the span of the statement in its text."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="reports")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statement_reports")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "article"], name="statement_report_unique"),
        ]
        indexes = [models.Index(fields=["article"], name="statement_report_article")]

    def __str__(self) -> str:
        return f"{self.statement_id} in {self.article_id}"


class Event(models.Model):
    class Kind(models.TextChoices):
        DEAL = "deal"
        DELIVERY = "delivery"
        WARNING = "warning"
        OFFER = "offer"
        SANCTION = "sanction"
        REMOVAL = "removal"
        TALKS = "talks"
        TEST = "test"
        DEADLINE = "deadline"
        OTHER = "other"

    class Review(models.TextChoices):
        CONFIRMED = "confirmed"
        PROPOSED = "proposed", "proposed by the pipeline"
        REJECTED = "rejected"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.CONFIRMED)
    evidence = models.TextField(blank=True, help_text="Sentence that proposed this event")
    articles = models.ManyToManyField(Article, related_name="events", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "date", "title"], name="event_unique"),
        ]
        indexes = [models.Index(fields=["dispute", "review", "date"], name="event_dispute_date")]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"


class DailyCount(models.Model):
    """A maintained daily total, so that charts read a few rows instead of scanning history.

    Each row belongs to one grain, which says which of the dimensions it carries; the
    others stay empty. tracker/services/rollups.py recomputes whole days from the
    source tables (after tagging) and rebuilds everything (`rebuild_rollups`).
    """

    class Grain(models.TextChoices):
        DISPUTE_ARTICLES = "dispute_articles", "articles per dispute"
        DISPUTE_SOURCE_ARTICLES = "dispute_source_articles", "articles per dispute and source"
        SOURCE_ARTICLES = "source_articles", "articles per source"
        DISPUTE_SIDE_STATEMENTS = "dispute_side_statements", "statements per dispute, side and stance"
        DISPUTE_SPEAKER_STATEMENTS = "dispute_speaker_statements", "statements per dispute and speaker"
        SPEAKER_STATEMENTS = "speaker_statements", "statements per speaker and stance"
        SYSTEM_MENTIONS = "system_mentions", "articles mentioning a system"
        SYSTEM_STATEMENTS = "system_statements", "statements about a system"
        # Weekly sums of the dispute grains above (day = the week's Monday), kept by the
        # same refresh: the dispute page's charts read ~7× fewer rows.
        WEEK_DISPUTE_ARTICLES = "wk_dispute_articles", "articles per dispute, weekly"
        WEEK_DISPUTE_SIDE_STATEMENTS = "wk_dispute_side_statements", "statements per dispute, side and stance, weekly"
        WEEK_DISPUTE_SPEAKER_STATEMENTS = "wk_dispute_speaker_statements", "statements per dispute and speaker, weekly"

    grain = models.CharField(max_length=30, choices=Grain.choices)
    day = models.DateField()
    dispute = models.ForeignKey(Dispute, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    system = models.ForeignKey(WeaponsSystem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=100, blank=True)
    stance = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Refreshing a day: delete and re-insert all of its rows.
            models.Index(fields=["day"], name="dailycount_day"),
            # Dispute page and home charts: one dispute's rows of a grain over time. Covering
            # (INCLUDE), so the weekly series, the top-speakers ranking (GROUP BY actor over
            # every day of the dispute) and coverage by source read the index only.
            models.Index(
                fields=["grain", "dispute", "day"],
                include=["actor", "source", "side", "stance", "count"],
                name="dailycount_dispute",
            ),
            # Dispute page: the top speakers (SUM per actor, in actor order) and their weekly
            # rows, read from the index only.
            models.Index(
                fields=["grain", "dispute", "actor", "day"], include=["count"], name="dailycount_dispute_actor"
            ),
            # Actor page: a speaker's statements per month and stance, from the index only.
            models.Index(fields=["grain", "actor", "day"], include=["stance", "count"], name="dailycount_actor_stance"),
            # Weapons-system page: mentions and statements per month, from the index only.
            models.Index(fields=["grain", "system", "day"], include=["count"], name="dailycount_system_count"),
            # Sources page: articles per day per source.
            models.Index(fields=["grain", "source", "day"], name="dailycount_source"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.day}: {self.count}"


# The audit trail: every save or delete of curated rows keeps a snapshot with who (the
# admin user, through simple_history's middleware; empty for the pipeline), when, and
# the values as they were. Queryset .update() bypasses it, so curation code saves rows.
for _curated in (Actor, ActorAlias, ActorRole, WeaponsSystem, SystemAlias, Dispute, DisputeParty, Event, Source):
    register(_curated)
register(Statement, excluded_fields=["search_vector"])
