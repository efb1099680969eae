from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker import services
from tracker.ingest.opml import InvalidOPML, parse_opml


class Command(BaseCommand):
    help = "Import feed sources from an OPML file (idempotent by URL)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            subscriptions = parse_opml(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        except InvalidOPML as exc:
            raise CommandError(f"{path}: {exc}") from exc
        created, existing = services.sources_import(subscriptions=subscriptions)
        self.stdout.write(f"{created} source(s) added, {existing} already present.")
