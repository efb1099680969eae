"""Generate a large synthetic corpus for the dashboard benchmark (bulk inserts).

Everything it writes is invented and labelled synthetic: made-up disputes between
made-up parties, articles assembled from a few sentence templates, statements that
point at their sentence in the article text. The default size is the benchmark's:
100,000 articles, 300,000 statements, 2,000 actors, 10 disputes over 8 years.
Use it on a database of its own (e.g. tracker_bench_dash), never on real data.
"""

from __future__ import annotations

import hashlib
import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from tracker.models import (
    Actor,
    ActorMention,
    Article,
    ArticleDispute,
    Dispute,
    DisputeParty,
    Event,
    Source,
    Statement,
    StatementReport,
    SystemMention,
    WeaponsSystem,
)
from tracker.services.rollups import rollups_rebuild

SIDES = ("buyer", "supplier", "opposing")
STANCES = (Statement.Stance.ESCALATING, Statement.Stance.CONCILIATORY, Statement.Stance.NEUTRAL)
SYLLABLES = "ka ro mi ta se lu na vo de ri pa zu en ol am it or ba ge fi".split()
VERBS_DIRECT = ("said", "told reporters", "warned", "insisted", "added")
VERBS_REPORTED = ("said that", "argued that", "suggested that", "indicated that")
CLAIMS = {
    Statement.Stance.ESCALATING: (
        "the {system} deal would bring penalties that nobody could ignore",
        "there would be consequences if the {system} went ahead",
        "the patience of the government over the {system} had run out",
    ),
    Statement.Stance.CONCILIATORY: (
        "talks about the {system} could still find a way forward",
        "both sides wanted a compromise over the {system}",
        "a joint working group on the {system} was a good idea",
    ),
    Statement.Stance.NEUTRAL: (
        "the {system} question was under review",
        "officials would meet again next month to discuss the {system}",
        "no decision on the {system} had been taken yet",
    ),
}


def _name(rng: random.Random, parts: int = 2) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() for _ in range(parts))


class Command(BaseCommand):
    help = "Fill an empty database with a large synthetic corpus for the dashboard benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--statements-per-article", type=int, default=3)
        parser.add_argument("--actors", type=int, default=2_000)
        parser.add_argument("--disputes", type=int, default=10)
        parser.add_argument("--sources", type=int, default=40)
        parser.add_argument("--years", type=int, default=8)
        parser.add_argument("--seed", type=int, default=5)
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--force", action="store_true", help="add to a database that already has articles")

    def handle(self, *args, **options):
        if Article.objects.exists() and not options["force"]:
            raise CommandError("This database already has articles; use a database of its own (or --force).")
        self.rng = random.Random(options["seed"])
        self.stamp = f"{int(time.time())}-{options['seed']}"
        started = time.monotonic()
        with transaction.atomic():
            self._reference(options)
        self.stdout.write(f"reference: {len(self.actors)} actors, {len(self.disputes)} disputes")
        end = timezone.now().date()
        self.start_day = end - timedelta(days=365 * options["years"])
        self.span_days = (end - self.start_day).days
        total = options["articles"]
        done = 0
        while done < total:
            size = min(options["batch"], total - done)
            with transaction.atomic():
                self._batch(done, size, options["statements_per_article"])
            done += size
            self.stdout.write(f"articles {done}/{total} ({time.monotonic() - started:.0f}s)")
        rows = rollups_rebuild()
        self.stdout.write(f"roll-ups: {rows} rows")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.0f}s"))

    def _reference(self, options) -> None:
        rng, stamp = self.rng, self.stamp
        self.sources = Source.objects.bulk_create(
            Source(
                name=f"Synthetic Wire {i}",
                url=f"https://wire{i}.synthetic.example/{stamp}/feed.xml",
                last_status=rng.choice([Source.Status.OK] * 8 + [Source.Status.TRANSIENT]),
                last_fetched_at=timezone.now() - timedelta(minutes=rng.randint(1, 600)),
            )
            for i in range(options["sources"])
        )
        actors = []
        for i in range(options["actors"]):
            kind = Actor.Kind.STATE if i % 40 == 0 else Actor.Kind.PERSON
            actors.append(
                Actor(
                    slug=f"synthetic-{stamp}-{i}",
                    name=f"{_name(rng)} (synthetic {i})",
                    kind=kind,
                    role="synthetic official" if kind == Actor.Kind.PERSON else "",
                )
            )
        self.actors = Actor.objects.bulk_create(actors)
        states = [a for a in self.actors if a.kind == Actor.Kind.STATE]
        for actor in self.actors:
            if actor.kind == Actor.Kind.PERSON:
                actor.affiliation = rng.choice(states)
        Actor.objects.bulk_update(self.actors, ["affiliation"], batch_size=1000)
        self.systems = WeaponsSystem.objects.bulk_create(
            WeaponsSystem(slug=f"synthetic-{stamp}-system-{i}", name=f"SX-{100 + i * 7}", category="synthetic")
            for i in range(30)
        )
        self.disputes, self.cast, parties = [], {}, []
        for i in range(options["disputes"]):
            dispute = Dispute.objects.create(
                slug=f"synthetic-{stamp}-dispute-{i}",
                name=f"Synthetic dispute {i + 1}: {_name(rng, 1)} and the {self.systems[i % 30].name}",
                summary="A made-up dispute generated for the dashboard benchmark.",
                start_date=timezone.now().date() - timedelta(days=365 * options["years"] - 30 * i),
            )
            dispute.systems.set(rng.sample(self.systems, 3))
            self.disputes.append(dispute)
            party_states = rng.sample(states, 3)
            for side, state in zip(SIDES, party_states, strict=True):
                parties.append(DisputeParty(dispute=dispute, actor=state, side=side))
            members = [a for a in self.actors if a.affiliation_id in {s.pk for s in party_states}]
            others = rng.sample(self.actors, 150)
            cast = members + others
            # A few loud speakers and a long tail, as in real coverage.
            weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(cast))]
            self.cast[dispute.pk] = (cast, weights, list(dispute.systems.all()))
            Event.objects.bulk_create(
                Event(
                    dispute=dispute,
                    date=timezone.now().date() - timedelta(days=rng.randint(0, 365 * options["years"] - 1)),
                    kind=rng.choice(Event.Kind.values),
                    title=f"Synthetic milestone {n + 1}",
                    description="An invented milestone.",
                )
                for n in range(25)
            )
        DisputeParty.objects.bulk_create(parties)

    def _batch(self, offset: int, size: int, per_article: int) -> None:
        rng = self.rng
        articles, plans = [], []
        for n in range(offset, offset + size):
            disputes = [rng.choice(self.disputes)]
            if rng.random() < 0.1:
                disputes.append(rng.choice(self.disputes))
            disputes = list({d.pk: d for d in disputes}.values())
            cast, weights, systems = self.cast[disputes[0].pk]
            system = rng.choice(systems)
            day = self.start_day + timedelta(days=rng.randint(0, self.span_days))
            published = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=rng.randint(0, 1439))
            sentences = [f"Synthetic report {n}: officials discussed the {system.name} again this week."]
            spans = []
            for _ in range(per_article):
                speaker = rng.choices(cast, weights)[0]
                stance = rng.choice(STANCES)
                claim = rng.choice(CLAIMS[stance]).format(system=system.name)
                direct = rng.random() < 0.6
                if direct:
                    quote = claim[0].upper() + claim[1:] + "."
                    sentence = f"“{quote}” {speaker.name} {rng.choice(VERBS_DIRECT)}."
                    start = sum(len(s) + 1 for s in sentences) + 1
                    spans.append((speaker, stance, quote, start, Statement.Kind.DIRECT))
                else:
                    sentence = f"{speaker.name} {rng.choice(VERBS_REPORTED)} {claim}."
                    start = sum(len(s) + 1 for s in sentences)
                    spans.append((speaker, stance, sentence, start, Statement.Kind.REPORTED))
                sentences.append(sentence)
            sentences.append("This text is synthetic and was generated for a benchmark.")
            text = " ".join(sentences)
            source = rng.choice(self.sources)
            articles.append(
                Article(
                    source=source,
                    url=f"https://wire.synthetic.example/{self.stamp}/a/{n}",
                    guid=f"{self.stamp}-{n}",
                    title=f"Synthetic: talks on the {system.name} ({n})",
                    published_at=published,
                    text=text,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    state=Article.State.TAGGED,
                    tagged_at=published,
                )
            )
            plans.append((disputes, system, spans, day))
        articles = Article.objects.bulk_create(articles)
        links, mentions, system_mentions, statements, statement_plans = [], [], [], [], []
        for article, (disputes, system, spans, day) in zip(articles, plans, strict=True):
            links += [ArticleDispute(article=article, dispute=d, score=0.9) for d in disputes]
            system_mentions.append(SystemMention(article=article, system=system, count=1, offsets=[]))
            seen = set()
            for index, (speaker, stance, text, start, kind) in enumerate(spans):
                if speaker.pk not in seen:
                    seen.add(speaker.pk)
                    mentions.append(ActorMention(article=article, actor=speaker, count=1, offsets=[]))
                statements.append(
                    Statement(
                        speaker=speaker,
                        speaker_text=speaker.name,
                        text=text,
                        kind=kind,
                        article=article,
                        start=start,
                        end=start + len(text),
                        said_on=day,
                        first_reported_at=article.published_at,
                        stance=stance,
                        confidence=0.8,
                        fingerprint=hashlib.sha256(f"{self.stamp}|{article.url}|{index}".encode()).hexdigest(),
                    )
                )
                statement_plans.append((disputes, system))
        ArticleDispute.objects.bulk_create(links)
        ActorMention.objects.bulk_create(mentions)
        SystemMention.objects.bulk_create(system_mentions)
        statements = Statement.objects.bulk_create(statements)
        StatementReport.objects.bulk_create(
            StatementReport(statement=s, article_id=s.article_id, start=s.start, end=s.end) for s in statements
        )
        Statement.disputes.through.objects.bulk_create(
            Statement.disputes.through(statement_id=s.pk, dispute_id=d.pk)
            for s, (disputes, _) in zip(statements, statement_plans, strict=True)
            for d in disputes
        )
        Statement.systems.through.objects.bulk_create(
            Statement.systems.through(statement_id=s.pk, weaponssystem_id=system.pk)
            for s, (_, system) in zip(statements, statement_plans, strict=True)
            if rng.random() < 0.5
        )
