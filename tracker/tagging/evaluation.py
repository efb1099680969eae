"""Compare the tagger's output with a hand-annotated gold set and compute the figures.

Matching rules (documented in docs/tagging.md):

- actors and systems: the set of canonical names per article (candidate actors by their
  name); precision, recall and F1 are micro-averaged over all articles;
- statements: a predicted statement matches a gold one when the speakers agree (the same
  canonical or candidate name, folded; or both anonymous) and their texts overlap: the
  Dice coefficient of their word-token multisets (lower-cased, diacritics folded, punctuation
  dropped) is at least 0.5. Pairs are matched one-to-one, best overlap first;
- said_on and stance: accuracy over matched statements (None equals None);
- dispute relevance: precision, recall and F1 over (article, dispute) pairs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .files import tag_file
from .normalise import fold
from .reference import vocabulary_from_files

TEXT_OVERLAP = 0.5
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(fold(text)))


def overlap(a: str, b: str) -> float:
    """Return the Dice coefficient of the word tokens of a and b."""
    ta, tb = tokens(a), tokens(b)
    total = sum(ta.values()) + sum(tb.values())
    return 2 * sum((ta & tb).values()) / total if total else 0.0


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_sets(self, predicted: Iterable[str], gold: Iterable[str]) -> None:
        predicted, gold = set(predicted), set(gold)
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Evaluation:
    actors: Score = field(default_factory=Score)
    systems: Score = field(default_factory=Score)
    statements: Score = field(default_factory=Score)
    relevance: Score = field(default_factory=Score)
    said_on: Accuracy = field(default_factory=Accuracy)
    stance: Accuracy = field(default_factory=Accuracy)
    errors: list[str] = field(default_factory=list)  # one line per disagreement, for reading


def _speaker_key(item: Mapping) -> str:
    if item.get("anonymous") or item.get("speaker") is None:
        return "<anonymous>" if item.get("anonymous") else "<unresolved>"
    return fold(item["speaker"])


def match_statements(predicted: list[Mapping], gold: list[Mapping]) -> list[tuple[int, int]]:
    """Pair predicted and gold statements one to one: same speaker, best text overlap first."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if _speaker_key(p) == _speaker_key(g):
                score = overlap(p["text"], g["text"])
                if score >= TEXT_OVERLAP:
                    pairs.append((score, i, j))
    pairs.sort(reverse=True)
    used_p, used_g, matched = set(), set(), []
    for _score, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def evaluate_article(result: Mapping, gold: Mapping, evaluation: Evaluation, name: str = "") -> None:
    """Add one article's comparison (result in the extract --json shape) to evaluation."""
    for what, score, key in (("actor", evaluation.actors, "actors"), ("system", evaluation.systems, "systems")):
        predicted = {item["name"] for item in result[key]}
        expected = gold.get(key, [])
        score.add_sets(predicted, expected)
        for missing in set(expected) - predicted:
            evaluation.errors.append(f"{name}: {what} missed: {missing}")
        for extra in predicted - set(expected):
            evaluation.errors.append(f"{name}: {what} extra: {extra}")
    predicted_disputes = {d["slug"] for d in result["disputes"]}
    evaluation.relevance.add_sets(predicted_disputes, gold.get("disputes", []))
    if predicted_disputes != set(gold.get("disputes", [])):
        evaluation.errors.append(f"{name}: disputes {sorted(predicted_disputes)} != {sorted(gold.get('disputes', []))}")

    predicted, expected = list(result["statements"]), list(gold.get("statements", []))
    matched = match_statements(predicted, expected)
    evaluation.statements.tp += len(matched)
    evaluation.statements.fp += len(predicted) - len(matched)
    evaluation.statements.fn += len(expected) - len(matched)
    for i, j in matched:
        p, g = predicted[i], expected[j]
        evaluation.said_on.total += 1
        evaluation.stance.total += 1
        if p.get("said_on") == g.get("said_on"):
            evaluation.said_on.right += 1
        else:
            evaluation.errors.append(f"{name}: said_on {p.get('said_on')} != {g.get('said_on')}: {g['text'][:70]}")
        if p.get("stance") == g.get("stance"):
            evaluation.stance.right += 1
        else:
            evaluation.errors.append(f"{name}: stance {p.get('stance')} != {g.get('stance')}: {g['text'][:70]}")
    used_p = {i for i, _ in matched}
    used_g = {j for _, j in matched}
    for i, p in enumerate(predicted):
        if i not in used_p:
            evaluation.errors.append(f"{name}: statement extra: [{_speaker_key(p)}] {p['text'][:90]}")
    for j, g in enumerate(expected):
        if j not in used_g:
            evaluation.errors.append(f"{name}: statement missed: [{_speaker_key(g)}] {g['text'][:90]}")


def evaluate_gold(gold_dir: Path, reference_dir: Path) -> Evaluation:
    """Tag every gold article (gold_dir/articles) with the reference-file vocabulary and compare with gold.json."""
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))
    vocabulary = vocabulary_from_files(reference_dir)
    evaluation = Evaluation()
    for name, expected in sorted(gold.items()):
        row = tag_file(gold_dir / "articles" / name, vocabulary)
        evaluate_article(row, expected, evaluation, name)
    return evaluation
