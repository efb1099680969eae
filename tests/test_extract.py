"""`manage.py extract --json` runs the tagging pipeline on files and prints the contract's JSON."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

# Synthetic article, written for this test.
ARTICLE = """Turkey will not give up the S-400, Erdogan says
2019-06-05T10:00:00+00:00

ANKARA (Reuters) - Turkey will not give up its S-400 order, President Tayyip Erdogan said on Tuesday.

"We signed, we paid, and the systems will come," Erdogan told reporters.

Maria Olsen, who runs a procurement office, said the first batteries were due in July.

A senior official said the talks had stalled.
"""


def run(*args):
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_prints_one_json_object_per_file_with_the_contract_keys(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (row,) = run(str(path), "--json", "--reference", "files")
    assert {"path", "title", "published", "actors", "systems", "statements", "disputes"} <= row.keys()
    assert row["published"] == "2019-06-05"
    assert row["systems"] == [{"name": "S-400", "count": 2}]
    assert [d["slug"] for d in row["disputes"]] == ["turkey-s400-f35"]
    by_speaker = {(s["speaker"], s["kind"], s["said_on"]) for s in row["statements"]}
    assert ("Recep Tayyip Erdoğan", "direct", "2019-06-04") in by_speaker
    assert ("Maria Olsen", "reported", "2019-06-05") in by_speaker
    assert (None, "reported", "2019-06-05") in by_speaker
    olsen = next(a for a in row["actors"] if a["name"] == "Maria Olsen")
    assert olsen["candidate"] is True


def test_an_unreadable_file_is_reported_and_the_rest_still_run(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    rows = run(str(tmp_path / "missing.txt"), str(good), "--json", "--reference", "files")
    assert [r["path"] for r in rows] == [str(good)]


def test_it_fails_when_no_file_can_be_read(tmp_path):
    with pytest.raises(Exception, match="no file could be read"):
        run(str(tmp_path / "missing.txt"), "--json", "--reference", "files")
