from typing import Any

app_name = "boards"

urlpatterns: list[Any] = []
