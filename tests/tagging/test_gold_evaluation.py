"""The tagger against the hand-annotated gold set (tests/gold): accuracy thresholds, not timing."""

from pathlib import Path

import pytest

from tracker.tagging.evaluation import evaluate_gold, overlap

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_gold(ROOT / "tests" / "gold", ROOT / "tracker" / "reference")


def test_actors_reach_the_target(evaluation):
    assert evaluation.actors.f1 >= 0.95, evaluation.errors


def test_systems_reach_the_target(evaluation):
    assert evaluation.systems.f1 >= 0.97, evaluation.errors


def test_statements_reach_the_target(evaluation):
    assert evaluation.statements.f1 >= 0.90, evaluation.errors


def test_said_on_reaches_the_target(evaluation):
    assert evaluation.said_on.value >= 0.90, evaluation.errors


def test_relevance_reaches_the_target(evaluation):
    assert evaluation.relevance.f1 >= 0.95, evaluation.errors


def test_text_overlap_ignores_case_punctuation_and_diacritics():
    assert overlap("Erdoğan's deal, signed.", "erdogan s deal signed") == 1.0
    assert overlap("a b c d", "e f g h") == 0.0
