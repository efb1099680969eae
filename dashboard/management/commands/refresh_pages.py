"""Render the dashboard pages analysts read, now (what the periodic refresher does)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from dashboard.refresh import pages_refresh


class Command(BaseCommand):
    help = "Render again the dashboard addresses read recently (after a deploy, or to time a pass)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even if the data did not change")

    def handle(self, *args, force: bool = False, **options):
        self.stdout.write(json.dumps(pages_refresh(force=force)))
