from typing import Any

app_name = "ideas"

urlpatterns: list[Any] = []
