from django.urls import path

from civicflow.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("cookies/", views.cookies, name="cookies"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
]
