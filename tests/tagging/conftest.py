"""A small hand-made vocabulary (synthetic): enough people, institutions, states and systems to test the rules."""

from datetime import date

import pytest

from tracker.tagging.types import ActorEntry, DisputeEntry, RoleEntry, SystemEntry
from tracker.tagging.vocabulary import Vocabulary

DEFENCE_CHIEF = ("the Pentagon chief", "U.S. Defense Secretary", "Defense Secretary")


@pytest.fixture
def vocabulary():
    actors = [
        ActorEntry(1, "Recep Tayyip Erdoğan", "person", "male", ("Erdoğan", "Erdogan", "Tayyip Erdogan")),
        ActorEntry(
            2,
            "Patrick Shanahan",
            "person",
            "male",
            ("Shanahan", "Patrick Shanahan"),
            roles=(RoleEntry("acting Defense Secretary", date(2019, 1, 1), date(2019, 6, 23), DEFENCE_CHIEF),),
        ),
        ActorEntry(3, "Hulusi Akar", "person", "male", ("Akar", "Hulusi Akar")),
        ActorEntry(4, "Turkey", "state", "", ("Turkey", "Türkiye"), ("Ankara",)),
        ActorEntry(5, "United States", "state", "", ("United States", "U.S.", "US"), ("Washington",)),
        ActorEntry(6, "Morgan Ortagus", "person", "female", ("Ortagus", "Morgan Ortagus")),
        ActorEntry(7, "White House", "organisation", "", ("White House",)),
        ActorEntry(8, "India", "state", "", ("India",), ("New Delhi",)),
        ActorEntry(9, "Russia", "state", "", ("Russia",), ("Moscow",)),
        ActorEntry(
            10,
            "Mark Esper",
            "person",
            "male",
            ("Esper", "Mark Esper"),
            roles=(RoleEntry("US Secretary of Defense", date(2019, 7, 23), date(2020, 11, 9), DEFENCE_CHIEF),),
        ),
        ActorEntry(
            11, "US Department of Defense", "organisation", "", ("Pentagon", "the Pentagon", "Defense Department")
        ),
        ActorEntry(12, "US State Department", "organisation", "", ("State Department",)),
        ActorEntry(13, "Kremlin", "organisation", "", ("Kremlin",)),
        ActorEntry(14, "Jim Risch", "person", "male", ("Risch", "Jim Risch")),
        ActorEntry(15, "Bob Menendez", "person", "male", ("Menendez", "Bob Menendez")),
        ActorEntry(
            16,
            "Ismail Demir",
            "person",
            "male",
            ("Demir", "Ismail Demir", "İsmail Demir"),
            roles=(
                RoleEntry(
                    "head of the defence industry directorate",
                    date(2014, 12, 1),
                    date(2023, 6, 6),
                    ("head of Turkey's defence industry directorate",),
                ),
            ),
        ),
        ActorEntry(17, "Greece", "state", "", ("Greece",), ("Athens",)),
    ]
    systems = [
        SystemEntry(1, "S-400", ("S-400", "S400", "S-400 Triumf", "SA-21")),
        SystemEntry(2, "F-35", ("F-35", "F-35A", "Joint Strike Fighter")),
        SystemEntry(3, "Patriot", ("Patriot", "PAC-3")),
    ]
    disputes = [
        DisputeEntry(
            1,
            "turkey-s400-f35",
            "Turkey S-400",
            frozenset({1, 2, 3, 4, 5, 9, 10, 11, 12, 16}),
            frozenset({1, 2, 3}),
            ("CAATSA", "F-35 programme"),
        ),
        DisputeEntry(2, "india-s400-caatsa", "India S-400", frozenset({8, 5, 9}), frozenset({1}), ("CAATSA",)),
    ]
    return Vocabulary(
        actors={a.id: a for a in actors}, systems={s.id: s for s in systems}, disputes={d.id: d for d in disputes}
    )
