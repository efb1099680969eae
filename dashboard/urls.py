from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("disputes/<slug:slug>/", views.dispute, name="dispute"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path("systems/<slug:slug>/", views.system, name="system"),
    path("demo/<path:name>", views.demo_file, name="demo-file"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
