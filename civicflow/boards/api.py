"""API endpoints for boards."""

from ninja import Router

router = Router(tags=["Boards"])
