"""Pages for initiatives: an organisation's portfolio board, an initiative with its lineage
and timeline, the pages that run it, the gate decision form, the decision register with its
exports, the public accountability page and the funnel, one module for each.

An initiative someone may not see answers 404 (or the sign-in page, to someone not signed
in); a member who lacks the role gets 403. Every page works without JavaScript.
"""

from civicflow.initiatives.views.gates import decide_view
from civicflow.initiatives.views.initiatives import detail_view, edit_view
from civicflow.initiatives.views.portfolio import funnel_view, index_view, portfolio_view
from civicflow.initiatives.views.public import accountability_view
from civicflow.initiatives.views.register import (
    register_csv_view,
    register_json_view,
    register_view,
)
from civicflow.initiatives.views.running import evaluation_view, plan_view, progress_view, team_view
from civicflow.initiatives.views.starting import start_view

__all__ = [
    "accountability_view",
    "decide_view",
    "detail_view",
    "edit_view",
    "evaluation_view",
    "funnel_view",
    "index_view",
    "plan_view",
    "portfolio_view",
    "progress_view",
    "register_csv_view",
    "register_json_view",
    "register_view",
    "start_view",
    "team_view",
]
