"""The Django admin: where admins add sources and curate reference data."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from .models import (
    Actor,
    ActorAlias,
    ActorRole,
    Article,
    Dispute,
    DisputeParty,
    Event,
    Source,
    Statement,
    StatementReport,
    SystemAlias,
    WeaponsSystem,
)

admin.site.site_header = "Arms dispute tracker — administration"
admin.site.site_title = "Dispute tracker admin"


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


class ActorRoleInline(admin.TabularInline):
    model = ActorRole
    extra = 0


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "country", "status", "updated_at"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name", "slug", "role", "aliases__text"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorAliasInline, ActorRoleInline]
    autocomplete_fields = ["affiliation"]
    actions = ["confirm_candidates", "reject_candidates"]

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    @admin.action(description="Confirm selected candidate actors")
    def confirm_candidates(self, request, queryset):
        count = queryset.filter(status=Actor.Status.CANDIDATE).update(status=Actor.Status.CONFIRMED)
        self.message_user(request, f"{count} actor(s) confirmed.")

    @admin.action(description="Reject selected candidate actors")
    def reject_candidates(self, request, queryset):
        count = queryset.filter(status=Actor.Status.CANDIDATE).update(status=Actor.Status.REJECTED)
        self.message_user(request, f"{count} actor(s) rejected.")


class SystemAliasInline(admin.TabularInline):
    model = SystemAlias
    extra = 1


@admin.register(WeaponsSystem)
class WeaponsSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "maker", "origin"]
    list_filter = ["category"]
    search_fields = ["name", "slug", "aliases__text"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SystemAliasInline]
    autocomplete_fields = ["maker", "origin"]


class DisputePartyInline(admin.TabularInline):
    model = DisputeParty
    extra = 1
    autocomplete_fields = ["actor"]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "start_date"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["systems"]
    inlines = [DisputePartyInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "url",
        "kind",
        "active",
        "last_fetched_at",
        "last_status",
        "last_http_status",
        "consecutive_failures",
        "short_error",
        "next_fetch_at",
    ]
    list_filter = ["active", "kind", "last_status"]
    search_fields = ["name", "url", "last_error"]
    readonly_fields = [
        "last_fetched_at",
        "last_success_at",
        "last_status",
        "last_http_status",
        "last_error",
        "consecutive_failures",
        "etag",
        "last_modified",
        "fetching_since",
        "created_at",
    ]
    actions = ["fetch_now"]

    @admin.display(description="last error")
    def short_error(self, obj: Source) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description="Fetch now")
    def fetch_now(self, request, queryset):
        from .tasks import source_fetch_task

        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(next_fetch_at=timezone.now())
        try:
            for source_id in ids:
                source_fetch_task.delay(source_id)
        except Exception as exc:  # the broker is down: say so instead of a 500
            self.message_user(request, f"Could not queue the fetch: {exc}", level=messages.ERROR)
            return
        self.message_user(request, f"Queued {len(ids)} source(s) for fetching.")


class StatementReportInline(admin.TabularInline):
    model = StatementReport
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "state", "fetched_at"]
    list_filter = ["state", "source"]
    search_fields = ["title", "url"]
    date_hierarchy = "published_at"
    raw_id_fields = ["story"]
    readonly_fields = ["content_hash", "fetched_at", "tagged_at"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["short_text", "speaker", "anonymous", "kind", "said_on", "stance", "review"]
    list_filter = ["review", "kind", "stance", "anonymous", "disputes"]
    search_fields = ["text", "speaker__name", "speaker_text"]
    raw_id_fields = ["article", "speaker"]
    filter_horizontal = ["systems", "disputes"]
    inlines = [StatementReportInline]
    date_hierarchy = "said_on"

    @admin.display(description="text")
    def short_text(self, obj: Statement) -> str:
        return obj.text[:100]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "dispute", "kind", "review"]
    list_filter = ["review", "kind", "dispute"]
    search_fields = ["title", "description", "evidence"]
    raw_id_fields = ["articles"]
    date_hierarchy = "date"
