import os
import secrets
from pathlib import Path

import feedparser
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tracker import services
from tracker.ingest.pages import extract_article
from tracker.models import Article, Source

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load reference data and the synthetic sample corpus through the real pipeline (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=os.environ.get("DEMO_BASE_URL", "http://127.0.0.1:8000"),
            help="address of the server that serves /demo/ (make run's dashboard)",
        )
        parser.add_argument("--login", metavar="USERNAME", help="create or reset this demo login and print it")

    def handle(self, *args, base_url, login, **options):
        counts = services.reference_load()
        self.stdout.write("Reference data: {actors} actors, {systems} systems, {disputes} disputes.".format(**counts))
        base = base_url.rstrip("/") + "/demo"
        vocabulary = services.vocabulary_load()
        for path in sorted((DEMO_DIR / "feeds").glob("*.xml")):
            body = path.read_text(encoding="utf-8").replace("{{BASE}}", base).encode()
            url = f"{base}/feeds/{path.name}"
            title = feedparser.parse(body).feed.get("title") or path.stem
            source, _ = Source.objects.get_or_create(url=url, defaults={"name": title[:200]})
            summary = services.source_ingest_payload(
                source=source, body=body, url=url, page_fetcher=lambda link: self._local_page(link, base)
            )
            for article_id in summary.new_ids:
                services.article_tag(article_id=article_id, vocabulary=vocabulary)
            self.stdout.write(
                f"{source.name}: {len(summary.new_ids)} new, {summary.duplicates} duplicate, {summary.failed} failed"
            )
            for error in summary.errors:
                self.stderr.write(f"  {error}")
        for article_id in Article.objects.filter(state=Article.State.NEW).values_list("pk", flat=True):
            services.article_tag(article_id=article_id, vocabulary=vocabulary)
        self.stdout.write(f"Corpus: {Article.objects.count()} articles in the database.")
        if login:
            self._login(login)

    def _local_page(self, link: str, base: str):
        """Read a demo page from disk instead of the network (the server may not be up yet)."""
        prefix = f"{base}/pages/"
        if not link.startswith(prefix):
            raise services.PermanentFetchError(f"not a demo page: {link}")
        path = (DEMO_DIR / "pages" / link[len(prefix) :]).resolve()
        if (DEMO_DIR / "pages").resolve() not in path.parents or not path.is_file():
            raise services.PermanentFetchError(f"no demo page for {link}")
        return extract_article(path.read_text(encoding="utf-8").replace("{{BASE}}", base), link)

    def _login(self, username: str) -> None:
        password = secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = user.is_superuser = True
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Demo login — username: {username}  password: {password}"))
