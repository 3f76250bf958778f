"""civicflow's URLs plus the framework's ceiling: the least work Django and ninja can do."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

ceiling_api = NinjaAPI(urls_namespace="ceiling-api", docs_url=None, openapi_url=None)
ROWS = [
    {
        "slug": f"org-{i}",
        "name": f"Organisation {i}",
        "kind": "council",
        "description": "",
        "website": "",
    }
    for i in range(50)
]


@ceiling_api.get("/rows")
def rows(request: HttpRequest) -> list[dict[str, str]]:
    return ROWS


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("__ceiling__/bare/", bare),
    path("__ceiling__/api/", ceiling_api.urls),
    path("", include("civicflow.config.urls")),
]
