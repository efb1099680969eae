import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker import services
from tracker.ingest.pages import NoArticleText
from tracker.models import Actor
from tracker.tagging.files import tag_file
from tracker.tagging.reference import vocabulary_from_files


class Command(BaseCommand):
    help = "Run the tagging pipeline on text or HTML files without saving anything; one JSON object per file."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", help="print one JSON object per file, one per line")
        parser.add_argument(
            "--reference",
            choices=["auto", "database", "files"],
            default="auto",
            help="where the vocabulary comes from: the database, the reference files, or the database when it has actors",
        )

    def handle(self, *args, paths, reference, **options):
        vocabulary = self._vocabulary(reference)
        failed = 0
        for path in paths:
            try:
                row = tag_file(path, vocabulary)
            except (OSError, NoArticleText) as exc:
                self.stderr.write(f"{path}: {exc}")
                failed += 1
                continue
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self._print_human(row)
        if failed == len(paths):
            raise CommandError("no file could be read")

    def _vocabulary(self, reference: str):
        if reference == "files" or (reference == "auto" and not Actor.objects.exists()):
            return vocabulary_from_files(services.REFERENCE_DIR)
        return services.vocabulary_load()

    def _print_human(self, row: dict) -> None:
        self.stdout.write(f"{row['path']}: {row['title']} ({row['published'] or 'date unknown'})")
        self.stdout.write("  actors: " + ", ".join(f"{a['name']} ×{a['count']}" for a in row["actors"]))
        self.stdout.write("  systems: " + ", ".join(f"{s['name']} ×{s['count']}" for s in row["systems"]))
        self.stdout.write("  disputes: " + ", ".join(f"{d['slug']} ({d['score']})" for d in row["disputes"]))
        for s in row["statements"]:
            speaker = s["speaker"] or ("anonymous" if s.get("anonymous") else s.get("speaker_text") or "unresolved")
            self.stdout.write(f"  - {speaker} [{s['kind']}, {s['said_on']}, {s['stance']}]: {s['text'][:120]}")
        for e in row.get("events", []):
            self.stdout.write(f"  event ({e['kind']}, {e['date']}, {e['dispute']}): {e['evidence'][:120]}")
