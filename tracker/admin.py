"""The Django admin: where admins add sources and curate reference data."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .ingest.feeds import NotAFeed, UnsafeDocument
from .ingest.fetch import FetchError
from .ingest.opml import InvalidOPML, Subscription, parse_opml, write_opml
from .ingest.pages import NoArticleText
from .ingest.urls import InvalidURL
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
from .services.ingest import CLAIM_TIMEOUT
from .services.recovery import sources_lease_release

admin.site.site_header = "Arms dispute tracker — administration"
admin.site.site_title = "Dispute tracker admin"


def _save_each(queryset, **changes) -> int:
    """Apply changes row by row, so that each one lands in the audit trail with its old value."""
    count = 0
    for obj in queryset:
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save(update_fields=[*changes, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
        count += 1
    return count


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


class ActorRoleInline(admin.TabularInline):
    model = ActorRole
    extra = 0


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
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
        count = _save_each(queryset.filter(status=Actor.Status.CANDIDATE), status=Actor.Status.CONFIRMED)
        self.message_user(request, f"{count} actor(s) confirmed.")

    @admin.action(description="Reject selected candidate actors")
    def reject_candidates(self, request, queryset):
        count = _save_each(queryset.filter(status=Actor.Status.CANDIDATE), status=Actor.Status.REJECTED)
        self.message_user(request, f"{count} actor(s) rejected.")


class SystemAliasInline(admin.TabularInline):
    model = SystemAlias
    extra = 1


@admin.register(WeaponsSystem)
class WeaponsSystemAdmin(SimpleHistoryAdmin):
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
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "status", "start_date"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["systems"]
    inlines = [DisputePartyInline]


class SourceForm(forms.ModelForm):
    discover_feed = forms.BooleanField(
        required=False,
        initial=True,
        help_text="For feeds: fetch the URL now; if it is a web page, use the feed it announces "
        "(link rel=alternate). Untick to save the URL as it is.",
    )

    class Meta:
        model = Source
        fields = "__all__"

    def clean(self):
        data = super().clean()
        url = data.get("url")
        changed = "url" in self.changed_data or not self.instance.pk
        if url and data.get("kind") == Source.Kind.FEED and data.get("discover_feed") and changed:
            try:
                data["url"] = services.feed_discover(url=url)
            except (FetchError, NotAFeed, UnsafeDocument) as exc:
                raise forms.ValidationError(f"{exc} (untick “discover feed” to save the URL anyway)") from exc
            if data["url"] != url and Source.objects.filter(url=data["url"]).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(f"The feed found there, {data['url']}, is already a source.")
        return data


class OPMLUploadForm(forms.Form):
    file = forms.FileField(label="OPML file", help_text="Subscriptions exported by a feed reader (.opml)")


class SubmitURLForm(forms.Form):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="Article URL")


class ArticleUploadForm(forms.Form):
    file = forms.FileField(
        label="Text or HTML file",
        help_text="Plain text: the first line is the title. HTML: the main text is extracted.",
    )


MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _form_page(model_admin, request, form, title):
    context = {
        **model_admin.admin_site.each_context(request),
        "form": form,
        "title": title,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/tracker/ingest_form.html", context)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    change_list_template = "admin/tracker/source/change_list.html"
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
    actions = ["fetch_now", "export_opml"]

    @admin.display(description="last error")
    def short_error(self, obj: Source) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    def get_urls(self):
        extra = [
            path("import-opml/", self.admin_site.admin_view(self.import_opml_view), name="tracker_source_import_opml"),
            path("export-opml/", self.admin_site.admin_view(self.export_opml_view), name="tracker_source_export_opml"),
        ]
        return extra + super().get_urls()

    @admin.action(description="Fetch now")
    def fetch_now(self, request, queryset):
        from .tasks import source_fetch_task

        # Lease the sources as the fan-out does, so the next fan-out does not queue them a second time.
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(next_fetch_at=timezone.now() + CLAIM_TIMEOUT)
        queued = 0
        try:
            for source_id in ids:
                source_fetch_task.delay_on_commit(source_id)
                queued += 1
        except Exception as exc:  # the broker is down: say so instead of a 500
            # Release the leases of those not queued, so the fan-out fetches them once the broker is back.
            sources_lease_release(source_ids=ids[queued:])
            self.message_user(request, f"Could not queue the fetch: {exc}", level=messages.ERROR)
            return
        self.message_user(request, f"Queued {len(ids)} source(s) for fetching; results appear on each source.")

    @admin.action(description="Export selected as OPML")
    def export_opml(self, request, queryset):
        return self._opml_response(queryset)

    def export_opml_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._opml_response(Source.objects.all())

    def _opml_response(self, queryset):
        subscriptions = [Subscription(s.name, s.url) for s in queryset.filter(kind=Source.Kind.FEED).order_by("name")]
        response = HttpResponse(write_opml(subscriptions), content_type="text/x-opml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sources.opml"'
        return response

    def import_opml_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OPMLUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise InvalidOPML(f"the file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
                subscriptions = parse_opml(upload.read())
            except InvalidOPML as exc:
                form.add_error("file", str(exc))
            else:
                created, existing = services.sources_import(subscriptions=subscriptions)
                self.message_user(request, f"{created} source(s) added, {existing} already present.")
                return HttpResponseRedirect(reverse("admin:tracker_source_changelist"))
        return _form_page(self, request, form, "Import sources from OPML")


class StatementReportInline(admin.TabularInline):
    model = StatementReport
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    change_list_template = "admin/tracker/article/change_list.html"
    list_display = ["title", "source", "published_at", "state", "story", "fetched_at"]
    list_filter = ["state", "source"]
    search_fields = ["title", "url"]
    date_hierarchy = "published_at"
    raw_id_fields = ["story"]
    readonly_fields = ["content_hash", "fetched_at", "tagged_at"]

    def get_urls(self):
        extra = [
            path("submit-url/", self.admin_site.admin_view(self.submit_url_view), name="tracker_article_submit_url"),
            path("upload/", self.admin_site.admin_view(self.upload_view), name="tracker_article_upload"),
        ]
        return extra + super().get_urls()

    def submit_url_view(self, request):
        """Fetch one article page: it becomes an inactive page source, so its errors show where all errors do."""
        from .tasks import source_fetch_task

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SubmitURLForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                source, _created = services.source_submit_url(url=form.cleaned_data["url"])
            except InvalidURL as exc:
                form.add_error("url", str(exc))
            else:
                source_fetch_task.delay_on_commit(source.pk)
                link = reverse("admin:tracker_source_change", args=[source.pk])
                message = 'Queued for fetching; the result and any error appear on <a href="{}">{}</a>.'
                self.message_user(request, format_html(message, link, source))
                return HttpResponseRedirect(reverse("admin:tracker_article_changelist"))
        return _form_page(self, request, form, "Submit an article URL")

    def upload_view(self, request):
        from .tasks import article_tag_task

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB.")
            else:
                try:
                    article, created = services.article_create_from_upload(name=upload.name, data=upload.read())
                except (NoArticleText, UnsafeDocument) as exc:
                    form.add_error("file", str(exc))
                else:
                    if created:
                        article_tag_task.delay_on_commit(article.pk)
                    verb = "Stored and queued for tagging" if created else "Already stored"
                    link = reverse("admin:tracker_article_change", args=[article.pk])
                    self.message_user(request, format_html('{}: <a href="{}">{}</a>.', verb, link, article.title))
                    return HttpResponseRedirect(reverse("admin:tracker_article_changelist"))
        return _form_page(self, request, form, "Upload an article file")


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
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
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "dispute", "kind", "review"]
    list_filter = ["review", "kind", "dispute"]
    search_fields = ["title", "description", "evidence"]
    raw_id_fields = ["articles"]
    date_hierarchy = "date"
