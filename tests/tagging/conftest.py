from datetime import date

import pytest

from tracker.tagging.types import ActorEntry, DisputeEntry, RoleEntry, SystemEntry
from tracker.tagging.vocabulary import Vocabulary


@pytest.fixture
def vocabulary():
    """A small hand-made vocabulary: enough people, states and systems to test the rules."""
    actors = [
        ActorEntry(1, "Recep Tayyip Erdoğan", "person", "male", ("Erdoğan", "Erdogan", "Tayyip Erdogan")),
        ActorEntry(
            2,
            "Patrick Shanahan",
            "person",
            "male",
            ("Shanahan",),
            roles=(
                RoleEntry(
                    "acting Defense Secretary",
                    date(2019, 1, 1),
                    date(2019, 6, 23),
                    ("acting Defense Secretary", "the Pentagon chief"),
                ),
            ),
        ),
        ActorEntry(3, "Hulusi Akar", "person", "male", ("Akar",)),
        ActorEntry(4, "Turkey", "state", "", ("Turkey",), ("Ankara",)),
        ActorEntry(5, "United States", "state", "", ("United States", "U.S.", "US"), ("Washington",)),
        ActorEntry(6, "Morgan Ortagus", "person", "female", ("Ortagus",)),
        ActorEntry(7, "White House", "organisation", "", ("White House",)),
        ActorEntry(8, "India", "state", "", ("India",), ("New Delhi",)),
        ActorEntry(9, "Russia", "state", "", ("Russia",), ("Moscow",)),
    ]
    systems = [
        SystemEntry(1, "S-400", ("S-400", "S-400 Triumf", "SA-21")),
        SystemEntry(2, "F-35", ("F-35", "Joint Strike Fighter")),
        SystemEntry(3, "Patriot", ("Patriot", "PAC-3")),
    ]
    disputes = [
        DisputeEntry(
            1,
            "turkey-s400-f35",
            "Turkey S-400",
            frozenset({1, 2, 3, 4, 5, 9}),
            frozenset({1, 2, 3}),
            ("CAATSA", "F-35 programme"),
        ),
        DisputeEntry(2, "india-s400-caatsa", "India S-400", frozenset({8, 5, 9}), frozenset({1}), ("CAATSA",)),
    ]
    return Vocabulary(
        actors={a.id: a for a in actors}, systems={s.id: s for s in systems}, disputes={d.id: d for d in disputes}
    )
