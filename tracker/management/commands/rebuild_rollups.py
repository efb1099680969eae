"""Recompute the dashboard's daily roll-ups from the source tables."""

from django.core.management.base import BaseCommand

from tracker.services.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily roll-ups the dashboard charts read (after bulk loads or edits to dispute sides)."

    def handle(self, *args, **options):
        rows = rollups_rebuild()
        self.stdout.write(f"Roll-ups rebuilt: {rows} rows.")
