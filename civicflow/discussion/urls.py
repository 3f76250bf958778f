from typing import Any

app_name = "discussion"

urlpatterns: list[Any] = []
