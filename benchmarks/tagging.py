"""Tagging throughput: full tagging of ~700-word articles, beside the time to merely tokenise them.

Run: `.venv/bin/python -m benchmarks.run tagging` (or `make bench BENCH_ARGS=tagging`).
Measures, in one process (one core), on synthetic wire-style articles built from our own
sentence templates:

- articles per second for full tagging (gazetteer, quotes, speakers, dates, stance,
  relevance, events) with the reference vocabulary trimmed to ~500 alias strings and grown
  to ~5,000 with synthetic actors, and the ratio between the two;
- articles per second for a regex word split of the same texts (the floor);
- peak resident memory of the process (ru_maxrss).
"""

from __future__ import annotations

import json
import random
import re
import resource
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from tracker.tagging.pipeline import tag_article
from tracker.tagging.reference import vocabulary_from_files
from tracker.tagging.types import ActorEntry, RoleEntry
from tracker.tagging.vocabulary import Vocabulary, vocabulary_settle

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WORD = re.compile(r"\w+")
# A publication date, as real articles have: relative dates ("on Tuesday") get resolved.
PUBLISHED = date(2019, 7, 17)

# Synthetic sentence templates (our own words); {p} a person, {s} a system, {c} a state or city.
TEMPLATES = [
    '"We have signed, we have paid, and the {s} will come," {p} told reporters on {d}.',
    "{p} said on {d} that {c} would not step back from the {s} purchase under any pressure.",
    "The {s} batteries arrived at an air base near the capital, the defence ministry said.",
    "According to {p}, talks on a second {s} contract were at an advanced stage.",
    "A senior official, who asked not to be named, said the {s} deadline could slip into next year.",
    '"If the worry is radar data," {p} said, "our engineers can meet theirs and settle it."',
    "{c} has said repeatedly that its choice of air defence is a sovereign matter.",
    "Analysts said the {s} dispute had outlasted the officials who started it years ago.",
    "{p}, speaking at a news conference in the capital, said sanctions would follow any activation.",
    "The {s} programme cost more than expected, and the schedule slipped twice last year.",
    "Turkey's foreign ministry said the decision was unjust and would damage relations.",
    "Diplomats said the meeting ended without agreement on the {s} or on the jets.",
    '"Nobody should expect us to tear up a signed contract," {p} said. "We keep our word."',
    "The White House said {c} could not keep both the {s} and the F-35.",
    "{p} wrote in a letter dated {m} 7 that the training of pilots would end by July 31.",
    "Markets were calm, and the currency held steady against the dollar on {d}.",
    "The {s} is a long-range system that can track aircraft hundreds of kilometres away.",
    "{c} signed the purchase agreement in 2017 after months of negotiations over price and technology.",
    "The first batteries were flown to an air base outside the capital in several cargo planes.",
    "Relations between the two allies have been strained by a series of disputes in recent years.",
    "The jets are built with parts from several partner countries, including engine and fuselage sections.",
    "Lawmakers from both parties have pressed the administration to act before the end of the year.",
    "The currency lost more than a third of its value during the year, adding to pressure on the economy.",
    "Officials from both sides met twice in the spring without settling the question of the radar.",
    "The {s} deal was worth about $2.5 billion, according to figures published at the time.",
    "Training for the pilots took place at a base in Arizona until the programme was suspended.",
]
PEOPLE = ["Erdogan", "Mike Pompeo", "Hulusi Akar", "Patrick Shanahan", "Sergei Lavrov", "Maria Olsen", "he", "she"]
SYSTEMS = ["S-400", "S400", "F-35", "Patriot PAC-3", "S-400 Triumf", "Su-35", "F-16s"]
PLACES = ["Turkey", "Ankara", "Washington", "Russia", "India", "Moscow"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["June", "July", "March"]


def make_articles(count: int, words: int = 700, seed: int = 7) -> list[str]:
    """Return count synthetic articles of about `words` words, paragraphs of one to three sentences."""
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        paragraphs, total = [], 0
        while total < words:
            sentences = []
            for _ in range(rng.randint(1, 3)):
                sentence = rng.choice(TEMPLATES).format(
                    p=rng.choice(PEOPLE[:6]),
                    s=rng.choice(SYSTEMS),
                    c=rng.choice(PLACES),
                    d=rng.choice(DAYS),
                    m=rng.choice(MONTHS),
                )
                sentences.append(sentence)
                total += len(sentence.split())
            paragraphs.append(" ".join(sentences))
        articles.append("ANKARA (Reuters) - " + "\n\n".join(paragraphs))
    return articles


def alias_count(vocabulary: Vocabulary) -> int:
    actors = sum(
        len({a.name, *a.aliases}) + len(a.metonyms) + sum(len(r.descriptions) for r in a.roles)
        for a in vocabulary.actors.values()
    )
    return actors + sum(len({s.name, *s.aliases}) for s in vocabulary.systems.values())


def sized_vocabulary(base: Vocabulary, target: int, seed: int = 11) -> Vocabulary:
    """Return base trimmed or grown (with synthetic people) to about target alias strings."""
    rng = random.Random(seed)
    actors = dict(base.actors)
    while alias_count(replace(base, actors=actors, _automaton=None)) > target and len(actors) > 10:
        actors.pop(max(k for k, a in actors.items() if a.kind == "person"))
    next_id = max(actors) + 1
    syllables = ["ka", "lo", "mer", "tin", "sa", "vu", "ren", "do", "pi", "zan", "el", "gor", "ha", "ni"]
    while alias_count(replace(base, actors=actors, _automaton=None)) < target:
        first = "".join(rng.choice(syllables) for _ in range(2)).capitalize()
        last = "".join(rng.choice(syllables) for _ in range(3)).capitalize()
        role = RoleEntry("Deputy minister", None, None, (f"deputy minister for {last.lower()} affairs",))
        actors[next_id] = ActorEntry(
            next_id,
            f"{first} {last}",
            "person",
            "male",
            (last, f"{first} {last}", f"{first[0]}. {last}"),
            roles=(role,),
        )
        next_id += 1
    return Vocabulary(actors=actors, systems=base.systems, disputes=base.disputes, version=f"bench-{target}")


def _rate(function, texts: list[str], repeat: int) -> float:
    """Return articles per CPU second (per core), best of repeat runs: CPU time, not wall time, because
    the machine is shared and a busy neighbour would otherwise count against us."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text in texts:
            function(text)
        best = min(best, time.process_time() - started)
    return len(texts) / best


def main(argv: list[str]) -> int:
    count = 300
    repeat = 3
    texts = make_articles(count)
    average_words = sum(len(t.split()) for t in texts) / len(texts)
    base = vocabulary_from_files(ROOT / "tracker" / "reference")
    figures: dict = {"articles": count, "average_words": round(average_words), "repeat": repeat, "vocabularies": {}}
    tokenise_rate = _rate(WORD.findall, texts, repeat)
    figures["tokenise_articles_per_s"] = round(tokenise_rate)
    for label, target in (("500", 500), ("5000", 5000)):
        vocabulary = sized_vocabulary(base, target)
        vocabulary_settle(vocabulary)  # as a worker does once after loading it, outside the timing
        rate = _rate(
            lambda text, v=vocabulary: tag_article(title="Benchmark", text=text, published=PUBLISHED, vocabulary=v),
            texts,
            repeat,
        )
        figures["vocabularies"][label] = {"aliases": alias_count(vocabulary), "articles_per_s": round(rate, 1)}
    small, large = figures["vocabularies"]["500"], figures["vocabularies"]["5000"]
    figures["slowdown_5000_vs_500"] = round(small["articles_per_s"] / large["articles_per_s"], 3)
    figures["tag_vs_tokenise_time_ratio"] = round(tokenise_rate / small["articles_per_s"], 1)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print(
        f"articles: {count} synthetic, ~{figures['average_words']} words each (best of {repeat} runs, CPU time, one process)"
    )
    print(f"tokenise (regex word split): {figures['tokenise_articles_per_s']:>9} articles/s")
    for row in figures["vocabularies"].values():
        print(f"full tagging, {row['aliases']:>5} aliases: {row['articles_per_s']:>9} articles/s")
    print(f"slowdown 5,000 vs 500 aliases: {figures['slowdown_5000_vs_500']}x (target ≤ 1.5x)")
    print(f"tagging takes {figures['tag_vs_tokenise_time_ratio']}x the time of tokenising")
    print(f"peak resident memory: {figures['peak_rss_mb']} MB (target ≤ 300 MB)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tagging.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0
