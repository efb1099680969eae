"""The dashboard in a real browser: log in, charts drawn, timeline filters, click-through to a
statement, and hostile feed content that stays inert everywhere (charts and tooltips too)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, ArticleFactory
from tracker.models import ArticleDispute, DisputeParty, Event, Statement, StatementReport
from tracker.services.rollups import rollups_rebuild

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "analyst-pass-123"
PAYLOAD = '<img src=x onerror="window.__pwned=7">'


@pytest.fixture
def hostile_world(world):
    """Add markup where the charts draw labels: a speaker, a side and a milestone (synthetic)."""
    speaker = ActorFactory(slug="hostile-speaker", name=f"Speaker {PAYLOAD}")
    DisputeParty.objects.create(dispute=world.dispute, actor=speaker, side=f"side {PAYLOAD}")
    Event.objects.create(dispute=world.dispute, date=date(2021, 3, 20), kind="warning", title=f"Milestone {PAYLOAD}")
    text = f"Synthetic text. “Nothing to see {PAYLOAD}” said the speaker."
    article = ArticleFactory(
        source=world.source, title=f"Story {PAYLOAD}", text=text, published_at=datetime(2021, 3, 22, 9, tzinfo=UTC)
    )
    ArticleDispute.objects.create(article=article, dispute=world.dispute, score=0.7)
    quote = f"Nothing to see {PAYLOAD}"
    start = text.index(quote)
    statement = Statement.objects.create(
        speaker=speaker,
        text=quote,
        kind="direct",
        article=article,
        start=start,
        end=start + len(quote),
        said_on=date(2021, 3, 22),
        stance="escalating",
        fingerprint="hostile-browser",
    )
    StatementReport.objects.create(statement=statement, article=article, start=start, end=statement.end)
    statement.disputes.add(world.dispute)
    rollups_rebuild()
    return world


def _log_in(page, live_server, django_user_model):
    django_user_model.objects.create_user(username="analyst", password=PASSWORD)
    page.goto(live_server.url + reverse("home"))
    assert "/login/" in page.url
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + reverse("home"))


def _painted_pixels(page, selector: str) -> int:
    """Count non-transparent pixels on a canvas: a blank canvas has none."""
    return page.eval_on_selector(
        selector,
        """canvas => {
            const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
            return painted;
        }""",
    )


def test_an_analyst_logs_in_and_sees_the_dispute_charts_drawn(world, page, live_server, django_user_model, screenshot):
    _log_in(page, live_server, django_user_model)
    screenshot("home")
    page.get_by_role("link", name=world.dispute.name).first.click()
    page.wait_for_selector("#timeline-chart")
    page.wait_for_function("() => window.Chart && Chart.getChart('timeline-chart') && Chart.getChart('tone-chart')")
    assert _painted_pixels(page, "#timeline-chart") > 500
    assert _painted_pixels(page, "#tone-chart") > 500
    screenshot("dispute", full_page=True)
    # The split by side and by top speakers redraws the same canvas.
    page.get_by_role("radio", name="By top speakers").check()
    labels = page.evaluate("() => Chart.getChart('timeline-chart').data.datasets.map(d => d.label)")
    assert labels[0] == "Ilsa Marden"
    assert not page.console_errors, page.console_errors


def test_clicking_a_week_opens_the_timeline_at_that_week(world, page, live_server, django_user_model):
    _log_in(page, live_server, django_user_model)
    page.goto(live_server.url + reverse("dispute", args=[world.dispute.slug]))
    page.wait_for_function("() => window.Chart && Chart.getChart('timeline-chart')")
    point = page.evaluate(
        """() => {
            const chart = Chart.getChart('timeline-chart');
            const bar = chart.getDatasetMeta(1).data[0];
            const box = chart.canvas.getBoundingClientRect();
            return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2, week: chart.data.labels[0]};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(r"/timeline/\?since="))
    assert f"since={point['week']}" in page.url and "until=" in page.url
    assert page.locator(".stream").count() == 1


def test_the_timeline_filters_update_the_results_and_the_address(
    world, page, live_server, django_user_model, screenshot
):
    _log_in(page, live_server, django_user_model)
    page.goto(live_server.url + reverse("timeline", args=[world.dispute.slug]))
    assert page.get_by_text("We will take delivery").count() == 1
    page.get_by_label("Stance").select_option("escalating")
    page.get_by_label("Kind").select_option("statement")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"stance=escalating"))
    page.wait_for_function("() => !document.body.innerText.includes('We will take delivery')")
    assert "kind=statement" in page.url
    assert page.get_by_text("Penalties would follow").count() == 1
    screenshot("timeline-filtered", full_page=True)
    # The address alone reproduces the view.
    page.goto(page.url)
    assert page.get_by_label("Stance").input_value() == "escalating"


def test_a_statement_links_to_its_highlighted_sentence(world, page, live_server, django_user_model, screenshot):
    _log_in(page, live_server, django_user_model)
    page.goto(live_server.url + reverse("timeline", args=[world.dispute.slug]) + "?kind=statement&stance=escalating")
    statement = world.statements[2]
    page.locator(f'a[href$="#statement-{statement.pk}"]').first.click()
    page.wait_for_url(re.compile(rf"/articles/{statement.article_id}/#statement-{statement.pk}$"))
    mark = page.locator(f"#statement-{statement.pk}")
    assert mark.inner_text() == "Penalties would follow"
    assert page.evaluate(f"() => document.querySelector('#statement-{statement.pk}').matches(':target')")
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 210, 77)"
    screenshot("article-statement")


def test_hostile_content_stays_inert_everywhere(hostile_world, page, live_server, django_user_model, screenshot):
    world = hostile_world
    _log_in(page, live_server, django_user_model)
    slug = world.dispute.slug
    urls = [
        reverse("home"),
        reverse("dispute", args=[slug]),
        reverse("timeline", args=[slug]),
        reverse("actor", args=[world.minister.slug]),
        reverse("actor", args=["hostile-speaker"]),
        reverse("system", args=[world.system.slug]),
        reverse("article", args=[world.hostile_article.pk]),
        reverse("statements") + "?q=pwned",
        reverse("articles") + "?q=hostile",
        reverse("sources"),
    ]
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        if "/disputes/" in url and "timeline" not in url:
            page.wait_for_function("() => window.Chart && Chart.getChart('timeline-chart')")
            page.get_by_role("radio", name="By side").check()
            box = page.locator("#timeline-chart").bounding_box()
            # Sweep the chart so tooltips and milestone labels draw every hostile label.
            for step in range(1, 40):
                page.mouse.move(box["x"] + box["width"] * step / 40, box["y"] + box["height"] / 2)
            page.get_by_role("radio", name="By top speakers").check()
            for step in range(1, 40):
                page.mouse.move(box["x"] + box["width"] * step / 40, box["y"] + box["height"] * 0.7)
            labels = page.evaluate("() => Chart.getChart('timeline-chart').data.datasets.map(d => d.label)")
            assert f"Speaker {PAYLOAD}" in labels  # the label is there, as text on a canvas
            screenshot("dispute-hostile", full_page=True)
        assert page.evaluate("() => window.__pwned") is None, url
        assert page.locator("img[src=x]").count() == 0, url
        assert page.locator("script:not([src]):not([type='application/json'])").count() == 0, url
        assert page.locator('a[href^="javascript:"]').count() == 0, url
    page.goto(live_server.url + reverse("article", args=[world.hostile_article.pk]))
    assert "<script>window.__pwned = 1</script>" in page.locator("#article-title").inner_text()  # shown as text
    screenshot("article-hostile")
    assert page.dialogs == []


def test_the_pages_are_usable_on_a_tablet(world, browser, live_server, django_user_model):
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.console_errors = []
    _log_in(page, live_server, django_user_model)
    page.goto(live_server.url + reverse("dispute", args=[world.dispute.slug]))
    page.wait_for_function("() => window.Chart && Chart.getChart('timeline-chart')")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 768
    page.screenshot(
        path=str(__import__("pathlib").Path(__file__).parent.parent / "artifacts" / "dispute-tablet.png"),
        full_page=True,
    )
    # Keyboard: the skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    context.close()
