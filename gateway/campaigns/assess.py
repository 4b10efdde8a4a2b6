"""Assess a batch of customers for a campaign: numpy over columns, no Spark.

The Spark job calls :func:`assess` inside ``mapInPandas``; it is a pure
function of one pandas batch and the :class:`Plan`, so tests call it directly
too. Scores come from :func:`gateway.scoring.batch.score_frame` over the same
compiled artefact that serving reads; grades and limits from the policy's
grade bounds and affordability arithmetic (:mod:`gateway.campaigns.limits`).

Each customer leaves with the first eligibility step it failed
(``excluded_at``, in :data:`STEPS` order), or with a limit per scenario and
the number of contacts its budget still allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gateway.campaigns.limits import IntArray, ProductTables, capacity_fen, to_fen
from gateway.campaigns.spec import ContactRules
from gateway.prequal.affordability import LENDING_UNIT
from gateway.prequal.policy import DEFAULT_POLICY
from gateway.prequal.terms import GRADES
from gateway.scoring.batch import score_frame
from gateway.scoring.frame import Frame

STEPS = (
    "marketing_consent",
    "cool_down",
    "blocked_or_arrears",
    "exposure_cap",
    "score_cutoff",
    "contact_budget",
    "consent_scope",
    "age",
    "affordability",
)
PROFILE_COLUMNS = (
    "customer_ref",
    "age",
    "employment_type",
    "employment_years",
    "verified_monthly_income",
    "months_with_bank",
    "avg_balance",
    "app_logins_30d",
    "past_loans",
    "on_time_ratio",
    "delinquencies_12m",
    "utilisation",
    "inquiries_6m",
    "oldest_account_months",
    "fraud_flag",
    "blacklist_flag",
    "current_delinquency",
    "monthly_debt_service",
)
_UNIT_FEN = to_fen(LENDING_UNIT)
_GRADE_NAMES = np.array([*GRADES, None], dtype=object)


@dataclass(frozen=True)
class ScenarioPlan:
    """A scenario: the partner product that honours it and its rank in each segment."""

    name: str
    partner: str
    product: ProductTables
    rank_by_segment: Mapping[str, int]


@dataclass(frozen=True)
class Plan:
    """What the job needs besides the data (pickled once to every Python worker)."""

    campaign_id: str
    environment: str
    artefact: Mapping[str, Any]
    scenarios: tuple[ScenarioPlan, ...]
    contacts: ContactRules
    exposure_cap: Decimal
    built_at: dt.datetime
    expires_at: dt.datetime


def output_columns(plan: Plan) -> list[tuple[str, str]]:
    """The columns :func:`assess` returns, with their Spark SQL types."""
    columns = [
        ("customer_ref", "string"),
        ("score", "bigint"),
        ("pd", "double"),
        ("segment", "string"),
        ("grade", "string"),
        ("excluded_at", "string"),
        ("budget_left", "int"),
    ]
    for scenario in plan.scenarios:
        columns += [(f"limit_{scenario.name}", "bigint"), (f"rank_{scenario.name}", "int")]
    return columns


def _frame(batch: pd.DataFrame) -> Frame:
    columns: dict[str, np.ndarray] = {}
    for name in batch.columns:
        series = batch[name]
        if series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            columns[name] = series.to_numpy(dtype=object)
        else:
            columns[name] = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return Frame(columns, len(batch))


def _grades(pd_values: npt.NDArray[np.float64]) -> tuple[IntArray, Any]:
    """Grade per PD as an index into :data:`GRADES` (``len(GRADES)`` beyond the cut-off),
    and whether the PD is in the referral zone or beyond (:meth:`PolicyConfig.grade_for`)."""
    policy = DEFAULT_POLICY
    assert tuple(g for g, _ in policy.grade_pd_bounds) == GRADES
    bounds = np.array([upper for _, upper in policy.grade_pd_bounds])
    index: IntArray = np.searchsorted(bounds, pd_values, side="right").astype(np.int64)
    cutoff = policy.decline_pd(False)
    return index, pd_values >= cutoff - policy.referral_margin


def _fen(series: pd.Series) -> npt.NDArray[np.int64]:
    """Money in whole fen, missing as 0 (amounts have two places, so ``rint`` is exact)."""
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    fen: npt.NDArray[np.int64] = np.rint(np.nan_to_num(values) * 100).astype(np.int64)
    return fen


def _flag(batch: pd.DataFrame, name: str) -> npt.NDArray[np.bool_]:
    if name not in batch:
        return np.zeros(len(batch), dtype=bool)
    flags: npt.NDArray[np.bool_] = batch[name].eq(True).to_numpy(dtype=bool)
    return flags


def assess(batch: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Score, grade, check and limit one batch of customers.

    Args:
        batch: profile columns (:data:`PROFILE_COLUMNS`) joined with the
            eligibility export (``marketing`` flag, ``consent_<scenario>``
            flags, ``last_contact_at``, ``last_decision_at``,
            ``contacts_30d``, ``exposure``).
        plan: the campaign.

    Returns:
        :func:`output_columns`, one row per customer.
    """
    rows = len(batch)
    scores = score_frame(plan.artefact, _frame(batch))
    grade_index, referral_or_worse = _grades(scores.pd)
    grade = _GRADE_NAMES[grade_index]
    exclusion = np.full(rows, None, dtype=object)

    def exclude(step: str, hit: npt.NDArray[np.bool_]) -> None:
        exclusion[hit & (exclusion == None)] = step  # noqa: E711 (elementwise)

    exclude("marketing_consent", ~_flag(batch, "marketing"))
    cool_down = pd.Timestamp(plan.built_at - dt.timedelta(days=plan.contacts.cool_down_days))
    for column in ("last_contact_at", "last_decision_at"):
        if column in batch:
            recent = pd.to_datetime(batch[column], utc=True) > cool_down
            exclude("cool_down", recent.fillna(False).to_numpy(dtype=bool))
    blocked = _flag(batch, "fraud_flag") | _flag(batch, "blacklist_flag")
    exclude("blocked_or_arrears", blocked | _flag(batch, "current_delinquency"))
    exposure = _fen(batch["exposure"]) if "exposure" in batch else np.zeros(rows, dtype=np.int64)
    headroom = to_fen(plan.exposure_cap) - exposure
    exclude("exposure_cap", headroom < _UNIT_FEN)
    exclude("score_cutoff", referral_or_worse)
    contacts = (
        batch["contacts_30d"].fillna(0).to_numpy(dtype=np.int64) if "contacts_30d" in batch else 0
    )
    budgets = [plan.contacts.budget(g) for g in (*GRADES, GRADES[-1])]
    budget = np.array(budgets, dtype=np.int64)[grade_index]
    budget_left = budget - contacts
    exclude("contact_budget", budget_left <= 0)

    age = batch["age"].fillna(0).to_numpy(dtype=np.int64)
    capacity = capacity_fen(
        _fen(batch["verified_monthly_income"]), _fen(batch["monthly_debt_service"])
    )
    headroom_units = np.maximum(headroom, 0) // _UNIT_FEN * _UNIT_FEN
    segment = scores.segment
    segment_names, segment_code = np.unique(segment.astype(str), return_inverse=True)
    out: dict[str, Any] = {
        "customer_ref": batch["customer_ref"].to_numpy(dtype=object),
        "score": scores.score,
        "pd": scores.pd,
        "segment": segment,
        "grade": grade,
    }
    still_open: npt.NDArray[np.bool_] = exclusion == None  # noqa: E711 (elementwise)
    any_consent = np.zeros(rows, dtype=bool)
    any_age = np.zeros(rows, dtype=bool)
    any_limit = np.zeros(rows, dtype=bool)
    for scenario in plan.scenarios:
        ranks = [scenario.rank_by_segment.get(str(s), 0) for s in segment_names.tolist()]
        rank = np.array(ranks, dtype=np.int32)[segment_code]
        consented = _flag(batch, f"consent_{scenario.name}") & (rank > 0)
        product = scenario.product
        youngest, oldest = product.customer_age
        allowed = (age >= youngest) & (age * 12 + product.tenors[0] <= oldest * 12) & consented
        # Limits only where they can matter: the customer passed every step so far.
        rows_open = np.flatnonzero(allowed & still_open)
        limit = np.zeros(rows, dtype=np.int64)
        limit[rows_open] = np.minimum(
            product.limits(grade_index[rows_open], age[rows_open], capacity[rows_open]),
            headroom_units[rows_open],
        )
        limit[limit < to_fen(product.min_amount)] = 0
        any_consent |= consented
        any_age |= allowed
        any_limit |= limit > 0
        out[f"limit_{scenario.name}"] = limit
        out[f"rank_{scenario.name}"] = np.where(limit > 0, rank, 0).astype(np.int32)
    exclude("consent_scope", ~any_consent)
    exclude("age", ~any_age)
    exclude("affordability", ~any_limit)
    out["excluded_at"] = exclusion
    out["budget_left"] = np.maximum(budget_left, 0).astype(np.int32)
    frame = pd.DataFrame(out)
    return frame[[name for name, _ in output_columns(plan)]]


def assess_batches(batches: Iterator[pd.DataFrame], plan: Plan) -> Iterator[pd.DataFrame]:
    """:func:`assess` over ``mapInPandas``'s batches."""
    for batch in batches:
        yield assess(batch, plan)
