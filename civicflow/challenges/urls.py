from django.urls import path

from civicflow.challenges import views

app_name = "challenges"

CHALLENGE = "organisations/<slug:slug>/challenges/<slug:challenge_slug>/"

urlpatterns = [
    path("challenges/", views.challenge_list_view, name="list"),
    path(
        "organisations/<slug:slug>/challenges/",
        views.organisation_challenges_view,
        name="organisation",
    ),
    path(
        "organisations/<slug:slug>/challenges/new/",
        views.challenge_create_view,
        name="create",
    ),
    path(CHALLENGE, views.challenge_detail_view, name="detail"),
    path(f"{CHALLENGE}edit/", views.challenge_edit_view, name="edit"),
    path(f"{CHALLENGE}status/", views.challenge_move_view, name="move"),
    path(f"{CHALLENGE}follow/", views.challenge_follow_view, name="follow"),
]
