from django.urls import path

from civicflow.library import views

app_name = "library"

CASE = "library/cases/<int:pk>/"

urlpatterns = [
    path("library/", views.index_view, name="index"),
    path("library/review/", views.queue_view, name="queue"),
    path("library/import/", views.import_view, name="import"),
    path("library/cases.json", views.export_json_view, name="export_json"),
    path("library/cases.csv", views.export_csv_view, name="export_csv"),
    path(CASE, views.case_view, name="case"),
    path(f"{CASE}spread/", views.spread_view, name="spread"),
    path(f"{CASE}edit/", views.edit_view, name="edit"),
    path(f"{CASE}measures/", views.measures_view, name="measures"),
    path(f"{CASE}submit/", views.submit_view, name="submit"),
    path(f"{CASE}review/", views.review_view, name="review"),
    path(f"{CASE}adopt/", views.adopt_view, name="adopt"),
    path("organisations/<slug:slug>/cases/new/", views.new_view, name="new"),
    path("initiatives/<int:pk>/case-study/", views.from_initiative_view, name="from_initiative"),
]
