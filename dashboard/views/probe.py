"""A minimal view for the dashboard benchmark: one query, no template (off unless BENCHMARK_VIEWS)."""

from django.http import HttpResponse

from tracker.models import Dispute


def one_query(request):
    """Return the number of disputes: the baseline the benchmark compares every page with."""
    return HttpResponse(f"{Dispute.objects.count()}\n", content_type="text/plain")
