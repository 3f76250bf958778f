from django.urls import path

from civicflow.budgets import views

app_name = "budgets"

BUDGET = "budgets/<int:pk>/"

urlpatterns = [
    path("organisations/<slug:slug>/budgets/", views.budget_list_view, name="list"),
    path("organisations/<slug:slug>/budgets/new/", views.budget_create_view, name="create"),
    path(BUDGET, views.budget_view, name="budget"),
    path(f"{BUDGET}vote/", views.ballot_view, name="ballot"),
    path(f"{BUDGET}results/", views.results_view, name="results"),
    path(f"{BUDGET}manage/", views.manage_view, name="manage"),
    path(f"{BUDGET}projects/<int:project_id>/edit/", views.project_edit_view, name="project_edit"),
    path(f"{BUDGET}edit/", views.budget_edit_view, name="edit"),
    path(f"{BUDGET}paper/", views.paper_ballot_view, name="paper"),
    path(f"{BUDGET}import/", views.import_view, name="import"),
    path(f"{BUDGET}export.pb", views.export_view, name="export"),
]
