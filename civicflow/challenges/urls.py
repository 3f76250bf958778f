from typing import Any

app_name = "challenges"

urlpatterns: list[Any] = []
