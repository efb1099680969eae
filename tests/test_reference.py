import pytest

from tracker import services
from tracker.models import Actor, ActorAlias, Dispute, Event, WeaponsSystem

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Actor.objects.values_list("slug", "name", "kind", "role", "affiliation__slug")),
        sorted(ActorAlias.objects.values_list("actor__slug", "text", "kind")),
        sorted(WeaponsSystem.objects.values_list("slug", "name", "maker__slug")),
        sorted(Event.objects.values_list("dispute__slug", "date", "title", "kind")),
    )


def test_loading_reference_data_twice_changes_nothing():
    services.reference_load()
    first = _snapshot()
    ids = sorted(ActorAlias.objects.values_list("pk", flat=True))
    services.reference_load()
    assert _snapshot() == first
    assert sorted(ActorAlias.objects.values_list("pk", flat=True)) == ids


def test_the_first_dispute_has_its_parties_systems_and_milestones():
    services.reference_load()
    dispute = Dispute.objects.get(slug="turkey-s400-f35")
    sides = set(dispute.party_links.values_list("side", flat=True))
    assert {"Turkey", "United States"} <= sides
    assert {"s-400", "f-35"} <= set(dispute.systems.values_list("slug", flat=True))
    dates = list(dispute.events.values_list("date", flat=True))
    assert len(dates) >= 15
    assert min(dates).year <= 2017 and max(dates).year >= 2021


def test_reference_data_has_the_aliases_wire_copy_uses():
    services.reference_load()
    assert Actor.objects.count() >= 40
    erdogan = Actor.objects.get(slug="recep-tayyip-erdogan")
    assert {"Erdoğan", "Erdogan"} <= set(erdogan.aliases.values_list("text", flat=True))
    turkey = Actor.objects.get(slug="turkey")
    assert turkey.aliases.filter(text="Ankara", kind=ActorAlias.Kind.METONYM).exists()
    s400 = WeaponsSystem.objects.get(slug="s-400")
    assert {"S-400 Triumf", "SA-21 Growler"} <= set(s400.aliases.values_list("text", flat=True))
