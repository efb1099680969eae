"""Run the tagging pipeline on the gold articles and print how it compares with gold.json."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.services.reference import REFERENCE_DIR
from tracker.tagging.evaluation import evaluate_gold

GOLD_DIR = Path(settings.BASE_DIR) / "tests" / "gold"


class Command(BaseCommand):
    requires_system_checks = []  # needs no database, only files
    help = "Evaluate the tagger on the gold set (tests/gold): P/R/F1 for actors, systems, statements, relevance."

    def add_arguments(self, parser):
        parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder with gold.json and articles/")
        parser.add_argument("--errors", action="store_true", help="list every disagreement with the gold set")
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")

    def handle(self, *args, gold, errors, **options):
        if not (gold / "gold.json").exists():
            raise CommandError(f"no gold.json in {gold}")
        evaluation = evaluate_gold(gold, REFERENCE_DIR)
        rows = [
            ("actors", evaluation.actors),
            ("systems", evaluation.systems),
            ("statements", evaluation.statements),
            ("relevance", evaluation.relevance),
        ]
        if options["json"]:
            figures = {
                name: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn}
                for name, s in rows
            }
            figures["said_on"] = {"accuracy": evaluation.said_on.value, "n": evaluation.said_on.total}
            figures["stance"] = {"accuracy": evaluation.stance.value, "n": evaluation.stance.total}
            self.stdout.write(json.dumps(figures))
            return
        self.stdout.write(f"{'':12} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}")
        for name, s in rows:
            self.stdout.write(f"{name:12} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.tp:5} {s.fp:4} {s.fn:4}")
        self.stdout.write(
            f"{'said_on':12} accuracy {evaluation.said_on.value:.3f} on {evaluation.said_on.total} matched statements"
        )
        self.stdout.write(
            f"{'stance':12} accuracy {evaluation.stance.value:.3f} on {evaluation.stance.total} matched statements"
        )
        if errors:
            for line in evaluation.errors:
                self.stdout.write(line)
