from django.urls import path

from civicflow.similarity import views

app_name = "similarity"

urlpatterns = [
    path("similar/while-writing/", views.while_writing_view, name="while_writing"),
]
