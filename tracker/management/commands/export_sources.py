from django.core.management.base import BaseCommand

from tracker.ingest.opml import Subscription, write_opml
from tracker.models import Source


class Command(BaseCommand):
    help = "Print every feed source as OPML."

    def handle(self, *args, **options):
        sources = Source.objects.filter(kind=Source.Kind.FEED).order_by("name")
        self.stdout.write(write_opml([Subscription(s.name, s.url) for s in sources]), ending="")
