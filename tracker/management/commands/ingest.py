from django.core.management.base import BaseCommand, CommandError

from tracker import services
from tracker.models import Source


class Command(BaseCommand):
    help = "Fetch sources now, in the foreground, through the same code the Celery tasks run."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--all", action="store_true", help="every active source")
        group.add_argument("--source", type=int, nargs="+", dest="source_ids", metavar="ID")
        parser.add_argument("--no-tag", action="store_true", help="store articles without tagging them")

    def handle(self, *args, all, source_ids, no_tag, **options):
        sources = Source.objects.filter(active=True) if all else Source.objects.filter(pk__in=source_ids)
        sources = list(sources.order_by("pk"))
        if source_ids and len(sources) != len(set(source_ids)):
            missing = sorted(set(source_ids) - {s.pk for s in sources})
            raise CommandError(f"no source with id {', '.join(map(str, missing))}")
        totals = {"new": 0, "duplicate": 0, "failed": 0}
        vocabulary = None if no_tag else services.vocabulary_load()
        for index, source in enumerate(sources, start=1):
            summary = services.source_fetch(source_id=source.pk)
            prefix = f"[{index}/{len(sources)}] {source.name} <{source.url}>"
            if summary is None:
                self.stdout.write(f"{prefix}: skipped, another worker is fetching it")
                continue
            for article_id in [*summary.new_ids, *summary.untagged_ids] if vocabulary else []:
                services.article_tag(article_id=article_id, vocabulary=vocabulary)
            state = "not modified" if summary.not_modified else "ok"
            if summary.failed and not summary.new_ids and not summary.duplicates:
                state = "failed: " + "; ".join(summary.errors)[:300]
            elif summary.errors:
                state += " (" + "; ".join(summary.errors)[:300] + ")"
            deferred = f", {summary.deferred} deferred to the next run" if summary.deferred else ""
            self.stdout.write(
                f"{prefix}: {len(summary.new_ids)} new, {summary.duplicates} duplicate, "
                f"{summary.failed} failed{deferred} — {state}"
            )
            totals["new"] += len(summary.new_ids)
            totals["duplicate"] += summary.duplicates
            totals["failed"] += summary.failed
        self.stdout.write(
            f"Done: {len(sources)} source(s), {totals['new']} new, {totals['duplicate']} duplicate, {totals['failed']} failed."
        )
