from django.urls import path

from civicflow.boards import views

app_name = "boards"

BOARD = "organisations/<slug:slug>/teams/<slug:team_slug>/board/"
CARD = BOARD + "cards/<int:card_id>/"

urlpatterns = [
    path("organisations/<slug:slug>/boards/", views.board_list_view, name="boards"),
    path(BOARD, views.board_view, name="board"),
    path(BOARD + "cards/new/", views.card_create_view, name="card_create"),
    path(CARD, views.card_view, name="card"),
    path(CARD + "edit/", views.card_edit_view, name="card_edit"),
    path(CARD + "move/", views.card_move_view, name="card_move"),
    path(CARD + "approve/", views.card_approve_view, name="card_approve"),
    path(CARD + "effect/", views.card_effect_view, name="card_effect"),
    path(BOARD + "leads/", views.board_leads_view, name="leads"),
    path(BOARD + "leads/<int:user_id>/remove/", views.board_lead_remove_view, name="lead_remove"),
    path("organisations/<slug:slug>/improvements/", views.improvement_list_view, name="rollup"),
    path(
        "organisations/<slug:slug>/improvements.csv",
        views.improvement_csv_view,
        name="rollup_csv",
    ),
]
