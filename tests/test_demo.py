import pytest
from django.core.management import call_command

from tracker.models import Actor, Article, ArticleDispute, Source, Statement

pytestmark = pytest.mark.django_db


def _counts():
    return (Source.objects.count(), Article.objects.count(), Statement.objects.count(), Actor.objects.count())


def test_load_demo_feeds_the_sample_corpus_through_the_pipeline_once():
    call_command("load_demo", verbosity=0)
    first = _counts()
    sources, articles, statements, _actors = first
    assert sources == 3
    assert articles >= 40
    assert statements >= 100
    assert not Article.objects.exclude(state=Article.State.TAGGED).exists()
    turkey = ArticleDispute.objects.filter(dispute__slug="turkey-s400-f35").count()
    assert turkey >= 30
    call_command("load_demo", verbosity=0)
    assert _counts() == first


def test_load_demo_prints_a_working_login(capsys, client):
    call_command("load_demo", login="demo")
    out = capsys.readouterr().out
    password = out.rsplit("password: ", 1)[1].split()[0]
    assert client.login(username="demo", password=password)
