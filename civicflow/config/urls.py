"""The URL map of the whole instance."""

from django.contrib import admin
from django.urls import include, path

from civicflow.api.api import api

urlpatterns = [
    path("", include("civicflow.web.urls")),
    path("", include("civicflow.accounts.urls")),
    path("", include("civicflow.search.urls")),
    path("", include("civicflow.challenges.urls")),
    path("", include("civicflow.ideas.urls")),
    path("", include("civicflow.similarity.urls_themes")),
    path("", include("civicflow.discussion.urls")),
    path("", include("civicflow.boards.urls")),
    path("", include("civicflow.opinions.urls")),
    path("", include("civicflow.budgets.urls")),
    path("", include("civicflow.appraisal.urls")),
    path("", include("civicflow.initiatives.urls")),
    path("", include("civicflow.library.urls")),
    path("", include("civicflow.similarity.urls")),
    path("", include("civicflow.outcomes.urls")),
    path("", include("civicflow.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "civicflow.web.views.bad_request"
handler403 = "civicflow.web.views.permission_denied"
handler404 = "civicflow.web.views.page_not_found"
handler500 = "civicflow.web.views.server_error"
handler429 = "civicflow.web.views.too_many_requests"
