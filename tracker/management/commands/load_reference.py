from django.core.management.base import BaseCommand

from tracker import services


class Command(BaseCommand):
    help = "Load or update the reference data for known disputes (idempotent)."

    def handle(self, *args, **options):
        counts = services.reference_load()
        self.stdout.write(
            "Reference data: {actors} actors, {systems} systems, {disputes} disputes, {milestones} milestones.".format(
                **counts
            )
        )
