"""API endpoints for discussion."""

from ninja import Router

router = Router(tags=["Discussion"])
