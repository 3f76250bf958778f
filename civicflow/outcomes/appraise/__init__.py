"""The arithmetic of outcomes: KPI progress, Green Book cost-benefit analysis and social
return on investment. Plain data in, plain data out; it imports neither Django nor the
database, so the pages, the API and the analysts' command share one implementation.

Money is computed in ``Decimal`` with fifty significant digits and rounded only for showing
(``report``).
"""

from civicflow.outcomes.appraise.cba import (
    GREEN_BOOK,
    CostBenefitInput,
    CostBenefitResult,
    CostBenefitYear,
    Flow,
    cost_benefit,
    read_cost_benefit,
)
from civicflow.outcomes.appraise.discount import (
    GREEN_BOOK_SCHEDULE,
    LAST_YEAR,
    discount_factors,
    green_book_rate,
)
from civicflow.outcomes.appraise.errors import AppraisalInputError
from civicflow.outcomes.appraise.kpi import (
    HIGHER,
    LOWER,
    KpiPlan,
    KpiStatus,
    Reading,
    expected_value,
    kpi_status,
)
from civicflow.outcomes.appraise.report import (
    appraise,
    cost_benefit_json,
    parse_appraisal_text,
    read_appraisal,
    results_json,
    results_table,
    social_return_json,
)
from civicflow.outcomes.appraise.sroi import (
    DEFAULT_RATE,
    InputLine,
    OutcomeLine,
    OutcomeResult,
    SroiInput,
    SroiResult,
    read_social_return,
    social_return,
)

__all__ = [
    "DEFAULT_RATE",
    "GREEN_BOOK",
    "GREEN_BOOK_SCHEDULE",
    "HIGHER",
    "LAST_YEAR",
    "LOWER",
    "AppraisalInputError",
    "CostBenefitInput",
    "CostBenefitResult",
    "CostBenefitYear",
    "Flow",
    "InputLine",
    "KpiPlan",
    "KpiStatus",
    "OutcomeLine",
    "OutcomeResult",
    "Reading",
    "SroiInput",
    "SroiResult",
    "appraise",
    "cost_benefit",
    "cost_benefit_json",
    "discount_factors",
    "expected_value",
    "green_book_rate",
    "kpi_status",
    "parse_appraisal_text",
    "read_appraisal",
    "read_cost_benefit",
    "read_social_return",
    "results_json",
    "results_table",
    "social_return",
    "social_return_json",
]
