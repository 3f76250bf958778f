from django.urls import path

from civicflow.initiatives import views

app_name = "initiatives"

ORGANISATION = "organisations/<slug:slug>/"
INITIATIVE = "initiatives/<int:pk>/"

urlpatterns = [
    path("initiatives/", views.index_view, name="index"),
    path(f"{ORGANISATION}initiatives/", views.portfolio_view, name="portfolio"),
    path(f"{ORGANISATION}initiatives/new/", views.start_view, name="start"),
    path(f"{ORGANISATION}initiatives/funnel/", views.funnel_view, name="funnel"),
    path(f"{ORGANISATION}decisions/", views.register_view, name="register"),
    path(f"{ORGANISATION}decisions.csv", views.register_csv_view, name="register_csv"),
    path(f"{ORGANISATION}decisions.json", views.register_json_view, name="register_json"),
    path(f"{ORGANISATION}accountability/", views.accountability_view, name="accountability"),
    path(INITIATIVE, views.detail_view, name="detail"),
    path(f"{INITIATIVE}edit/", views.edit_view, name="edit"),
    path(f"{INITIATIVE}team/", views.team_view, name="team"),
    path(f"{INITIATIVE}plan/", views.plan_view, name="plan"),
    path(f"{INITIATIVE}progress/", views.progress_view, name="progress"),
    path(f"{INITIATIVE}evaluation/", views.evaluation_view, name="evaluation"),
    path(f"{INITIATIVE}decide/", views.decide_view, name="decide"),
]
