"""API endpoints for notifications."""

from ninja import Router

router = Router(tags=["Notifications"])
