"""Indexes for the dashboard's per-dispute cache version (dashboard/cache.py, `dispute_version`):
a dispute's newest article link and newest statement link, and the newest change (not
creation) in the statements' audit trail, each one index probe."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0008_dashboard_weekly_rollups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="articledispute",
            index=models.Index(fields=["dispute", "id"], name="article_dispute_newest"),
        ),
        # Statement.disputes' through table is Django's own (no Meta to declare it in).
        migrations.RunSQL(
            "CREATE INDEX statement_disputes_newest ON tracker_statement_disputes (dispute_id, id)",
            reverse_sql="DROP INDEX IF EXISTS statement_disputes_newest",
        ),
        # simple_history's table, also without a Meta: creations are most of its rows.
        migrations.RunSQL(
            "CREATE INDEX historicalstatement_changes ON tracker_historicalstatement (history_id) "
            "WHERE history_type <> '+'",
            reverse_sql="DROP INDEX IF EXISTS historicalstatement_changes",
        ),
    ]
