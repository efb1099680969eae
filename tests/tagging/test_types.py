"""frozen() builds the tagger's results without their generated __init__; they must not differ."""

import pickle
from dataclasses import FrozenInstanceError, replace

import pytest

from tracker.tagging.types import Mention, StatementSpan, frozen


def test_a_result_built_by_frozen_equals_one_built_by_its_class():
    fields = dict(kind="actor", id=7, start=3, end=10, text="Erdogan", via="alias")
    fast, plain = frozen(Mention, **fields), Mention(**fields)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert pickle.loads(pickle.dumps(fast)) == plain
    assert replace(fast, id=8) == replace(plain, id=8)
    with pytest.raises(FrozenInstanceError):
        fast.id = 8


def test_frozen_refuses_a_missing_or_misspelled_field():
    with pytest.raises(TypeError):
        frozen(StatementSpan, text="We will not step back", start=0, end=21, kind="reported")
    with pytest.raises(TypeError):
        frozen(Mention, kind="actor", id=7, start=3, end=10, text="Erdogan", vai="alias")
