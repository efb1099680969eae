from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from . import exports, health, views
from .cache import actor_version, dispute_version
from .feeds import ActorStatementsFeed, DisputeStatementsFeed, cached_feed

urlpatterns = [
    path("", views.home, name="home"),
    path("disputes/<slug:slug>/", views.dispute, name="dispute"),
    path("disputes/<slug:slug>/timeline/", views.timeline, name="timeline"),
    path("disputes/<slug:slug>/timeline/export.<str:fmt>", exports.timeline_export, name="timeline-export"),
    path(
        "disputes/<slug:slug>/feed/",
        views.analyst_required(cached_feed(DisputeStatementsFeed(), scope=dispute_version)),
        name="dispute-feed",
    ),
    path("statements/", views.statements, name="statements"),
    path("statements/export.<str:fmt>", exports.statements_export, name="statements-export"),
    path("articles/", views.articles, name="articles"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path(
        "actors/<slug:slug>/feed/",
        views.analyst_required(cached_feed(ActorStatementsFeed(), scope=actor_version)),
        name="actor-feed",
    ),
    path("systems/<slug:slug>/", views.system, name="system"),
    path("sources/", views.sources, name="sources"),
    path("demo/<path:name>", views.demo_file, name="demo-file"),
    path("login/", views.with_csp(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/one-query/", views.one_query, name="bench-one-query"))
