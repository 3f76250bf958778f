from typing import Any

app_name = "notifications"

urlpatterns: list[Any] = []
