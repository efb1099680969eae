"""bin/backup and bin/restore: a backup restored into an empty database has every curated row."""

import subprocess
import uuid

import pytest

from .harness import REPO, manage, probe, project_env, psql, with_database


def run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(REPO / "bin" / script), *args], cwd=REPO, env=env, capture_output=True, text=True)


def assert_round_trip(source_env: dict, target_env: dict, backup) -> None:
    probe(source_env, "curated_populate")
    before = probe(source_env, "curated_snapshot")
    for model in (
        "tracker.Actor",
        "tracker.ActorAlias",
        "tracker.Statement",
        "tracker.Event",
        "tracker.HistoricalEvent",
    ):
        assert before[model], f"nothing curated in {model}: the test would prove nothing"
    made = run("backup", str(backup), env=source_env)
    assert made.returncode == 0, made.stderr
    restored = run("restore", str(backup), env=target_env)
    assert restored.returncode == 0, restored.stderr
    after = probe(target_env, "curated_snapshot")
    assert after == before
    # Statements keep their review state (every state curators use is in the data).
    assert after["statement_reviews"] == ["confirmed", "proposed", "rejected"]
    assert after["tracker.Event.articles"], "the milestone lost its article"
    # A second restore over the now-populated database is refused and changes nothing.
    again = run("restore", str(backup), env=target_env)
    assert again.returncode != 0 and "empty database" in again.stderr
    assert probe(target_env, "curated_snapshot") == before


def test_a_sqlite_backup_restored_into_an_empty_file_has_every_curated_row(tmp_path):
    source = project_env(tmp_path, database_url=f"sqlite:///{tmp_path / 'source.sqlite3'}", broker_url="filesystem://")
    target = {**source, "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}
    manage(source, "migrate", "--noinput", "-v0")
    assert_round_trip(source, target, tmp_path / "tracker.dump")


@pytest.mark.integration
def test_a_postgres_backup_restored_into_an_empty_database_has_every_curated_row(
    tmp_path, scratch_database, pg_server_url
):
    source = project_env(tmp_path, database_url=scratch_database, broker_url="filesystem://")
    name = f"ops_restore_{uuid.uuid4().hex[:8]}"
    psql(pg_server_url, f"CREATE DATABASE {name}")
    try:
        target = {**source, "DATABASE_URL": with_database(pg_server_url, name)}
        assert_round_trip(source, target, tmp_path / "tracker.dump")
    finally:
        psql(pg_server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
