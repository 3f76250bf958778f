from django.urls import path

from civicflow.similarity import views_themes as views

app_name = "themes"

CHALLENGE = "organisations/<slug:slug>/challenges/<slug:challenge_slug>/"

urlpatterns = [
    path(f"{CHALLENGE}duplicates/", views.duplicates_view, name="duplicates"),
    path(f"{CHALLENGE}duplicates/dismiss/", views.pair_dismiss_view, name="dismiss"),
    path(f"{CHALLENGE}duplicates/restore/", views.pair_restore_view, name="restore"),
    path(f"{CHALLENGE}themes/", views.themes_view, name="themes"),
    path(f"{CHALLENGE}themes/recompute/", views.themes_recompute_view, name="recompute"),
]
