import factory
from django.utils import timezone

from tracker import models


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dispute

    name = factory.Sequence(lambda n: f"Dispute {n}")
    slug = factory.Sequence(lambda n: f"dispute-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    name = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://news{n}.example/feed.xml")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example/story/{n}")
    title = factory.Sequence(lambda n: f"Story {n}")
    text = "Nothing happened."
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    published_at = factory.LazyFunction(timezone.now)
