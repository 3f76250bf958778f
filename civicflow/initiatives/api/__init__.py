"""API endpoints for initiatives: the portfolio, one initiative with its lineage, team, stages,
timeline and decisions; running it (owner, delivery lead, innovation leads, administrators);
gate decisions (decision makers and administrators); the decision register and the funnel
(members of the organisation). One module for each concern, all on one router, registered in
the order below (the order of the API document).

They call the same services and permissions as the pages. Money is a decimal string in
pounds ("12500.50"); dates are ISO 8601.
"""

# isort: off
# The modules register their operations on the router as they are imported, in this order.
from civicflow.initiatives.api.common import router
from civicflow.initiatives.api import reading, starting, running, gates  # noqa: F401
# isort: on

__all__ = ["router"]
