"""The synthetic population: an explicit data-generating process (docs/model-card.md §Data).

Each customer has a latent persona (which the segments should recover) and a
latent creditworthiness ``theta ~ N(persona shift, 1)``. Observable features are
noisy functions of both; the true 12-month default is drawn from a logistic
model of theta and the observables (:func:`true_default_logit`). Everything is
vectorised with numpy, so a million customers take seconds, and seeded, so the
same seed gives the same population.
"""

from __future__ import annotations

import functools
import hashlib
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from gateway.profiles.profile import EMPLOYMENT_TYPES, Profile

PERSONAS = ("mass_market", "young_professional", "small_business_owner", "high_net_worth")
PERSONA_SHARE = np.array([0.62, 0.18, 0.12, 0.08])
AGE_MEAN = np.array([40.0, 28.0, 42.0, 50.0])
AGE_SD = np.array([11.0, 4.0, 9.0, 10.0])
THETA_SHIFT = np.array([-0.1, 0.1, -0.1, 0.6])
# Rows: persona; columns: EMPLOYMENT_TYPES.
EMPLOYMENT_MIX = np.array(
    [
        [0.62, 0.06, 0.10, 0.12, 0.06, 0.04],
        [0.80, 0.04, 0.10, 0.06, 0.00, 0.00],
        [0.05, 0.90, 0.00, 0.05, 0.00, 0.00],
        [0.45, 0.35, 0.15, 0.00, 0.05, 0.00],
    ]
)
INCOME_MEDIAN = np.array([6500.0, 12000.0, 15000.0, 45000.0])
INCOME_SIGMA = np.array([0.45, 0.35, 0.6, 0.5])
INCOME_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 0.6, 0.2])  # by employment type
BALANCE_MULTIPLE = np.array([1.5, 1.2, 3.0, 12.0])
TENURE_SCALE = np.array([3.0, 1.5, 4.0, 6.0])
BANK_MONTHS_MEAN = np.array([48.0, 30.0, 60.0, 96.0])
LOGINS_MEAN = np.array([8.0, 20.0, 12.0, 10.0])
THIN_FILE_SHARE = 0.08
INTERCEPT = -3.6

Columns = dict[str, npt.NDArray[np.generic]]


def true_default_logit(c: Columns, theta: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Log-odds of the true 12-month default, the documented equation of the model card."""
    income = c["verified_monthly_income"].astype(np.float64)
    dti = c["monthly_debt_service"].astype(np.float64) / np.maximum(income, 1.0)
    util = np.nan_to_num(c["utilisation"].astype(np.float64), nan=0.45)
    thin = (c["oldest_account_months"] == 0).astype(np.float64)
    inquiries = c["inquiries_6m"].astype(np.float64)
    delinquencies = c["delinquencies_12m"].astype(np.float64)
    current = c["current_delinquency"].astype(np.float64)
    logit: npt.NDArray[np.float64] = (
        INTERCEPT
        - 1.0 * theta
        + 1.2 * (util - 0.45)
        + 0.18 * inquiries
        + 0.5 * np.minimum(delinquencies, 3)
        - 0.35 * np.log(np.maximum(income, 500.0) / 8000.0)
        + 1.5 * (dti - 0.3)
        - 0.006 * (np.minimum(c["months_with_bank"].astype(np.float64), 120) - 40)
        - 0.005 * (np.minimum(c["oldest_account_months"].astype(np.float64), 120) - 48)
        - 0.06 * (np.minimum(c["employment_years"].astype(np.float64), 10) - 4)
        + 0.6 * thin
        + 1.5 * current
    )
    return logit


def generate_population(count: int, seed: int) -> tuple[Columns, npt.NDArray[np.int_]]:
    """Draw ``count`` customers (:func:`generate_population_with_truth` without the PD)."""
    columns, _, defaulted = generate_population_with_truth(count, seed)
    return columns, defaulted


def generate_population_with_truth(
    count: int, seed: int
) -> tuple[Columns, npt.NDArray[np.float64], npt.NDArray[np.int_]]:
    """Draw ``count`` customers, with each one's true 12-month default probability.

    Args:
        count: how many.
        seed: the random seed; the same seed gives the same population.

    Returns:
        Feature columns by :data:`gateway.profiles.profile.FEATURE_FIELDS` name
        (money in CNY as floats rounded to the fen, NaN for missing ratios),
        plus ``persona``; the true default probability of the process; and
        the default flag drawn from it (1 = defaulted).
    """
    rng = np.random.default_rng(seed)
    n = count
    persona = rng.choice(len(PERSONAS), size=n, p=PERSONA_SHARE)
    theta = rng.normal(THETA_SHIFT[persona], 1.0)
    age = np.clip(np.rint(rng.normal(AGE_MEAN[persona], AGE_SD[persona])), 18, 75).astype(np.int64)
    cumulative = np.cumsum(EMPLOYMENT_MIX[persona], axis=1)
    employment = (rng.random(n)[:, None] > cumulative).sum(axis=1)
    employment = np.minimum(employment, len(EMPLOYMENT_TYPES) - 1)
    working_years = np.maximum(age - 18, 0).astype(np.float64)
    tenure = np.round(np.minimum(rng.gamma(2.0, TENURE_SCALE[persona]), working_years), 1)
    income = INCOME_FACTOR[employment] * np.exp(
        rng.normal(np.log(INCOME_MEDIAN[persona]), INCOME_SIGMA[persona])
    )
    income = np.round(np.maximum(income, 800.0), 2)
    bank_months = np.minimum(
        rng.exponential(BANK_MONTHS_MEAN[persona]), working_years * 12 + 12
    ).astype(np.int64)
    balance = np.round(income * BALANCE_MULTIPLE[persona] * rng.lognormal(0.0, 0.9, n), 2)
    logins = rng.poisson(LOGINS_MEAN[persona] * np.exp(0.15 * theta))
    past_loans = rng.poisson(np.minimum(bank_months / 24.0, 6.0) * 0.7)
    late_share = np.minimum(rng.exponential(0.04 * np.exp(-0.8 * theta)), 1.0)
    on_time = np.where(past_loans > 0, np.round(1.0 - late_share, 3), np.nan)
    thin = rng.random(n) < THIN_FILE_SHARE
    oldest = np.where(
        thin, 0, np.minimum(rng.gamma(2.0, 30.0, n) + 6, working_years * 12 + 6)
    ).astype(np.int64)
    delinquencies = np.where(thin, 0, rng.poisson(0.25 * np.exp(-0.9 * theta)))
    utilisation = np.where(
        thin, np.nan, np.round(np.clip(rng.beta(2.0, 3.0, n) - 0.12 * theta, 0.0, 1.2), 3)
    )
    inquiries = rng.poisson(np.where(persona == 1, 1.4, 1.0) * np.exp(-0.5 * theta))
    debt_share = np.clip(rng.beta(2.0, 6.0, n) - 0.05 * theta, 0.0, 0.9)
    has_debt = (past_loans > 0) | ~thin
    debt = np.round(np.where(has_debt, income * debt_share, 0.0), 2)
    current_delinquency = rng.random(n) < 1.0 / (1.0 + np.exp(4.5 + 1.2 * theta))
    columns: Columns = {
        "age": age,
        "employment_type": np.array(EMPLOYMENT_TYPES, dtype=object)[employment],
        "employment_years": tenure,
        "verified_monthly_income": income,
        "months_with_bank": bank_months,
        "avg_balance": balance,
        "app_logins_30d": logins.astype(np.int64),
        "past_loans": past_loans.astype(np.int64),
        "on_time_ratio": on_time,
        "delinquencies_12m": delinquencies.astype(np.int64),
        "utilisation": utilisation,
        "inquiries_6m": inquiries.astype(np.int64),
        "oldest_account_months": oldest,
        "fraud_flag": rng.random(n) < 0.003,
        "blacklist_flag": rng.random(n) < 0.005,
        "current_delinquency": current_delinquency,
        "monthly_debt_service": debt,
        "persona": np.array(PERSONAS, dtype=object)[persona],
    }
    p_default = 1.0 / (1.0 + np.exp(-true_default_logit(columns, theta)))
    defaulted = (rng.random(n) < p_default).astype(np.int_)
    return columns, p_default, defaulted


SANDBOX_POPULATION = 1 << 16
SANDBOX_SEED = 20261121


@functools.cache
def _sandbox_population() -> tuple[Columns, npt.NDArray[np.float64]]:
    """The sandbox's customers: 65 536 draws of the process, made once per process (~70 ms)."""
    columns, p_default, _ = generate_population_with_truth(SANDBOX_POPULATION, SANDBOX_SEED)
    return columns, p_default


def _sandbox_row(customer_ref: str) -> int:
    digest = hashlib.sha256(customer_ref.encode()).digest()
    return int.from_bytes(digest[:8], "big") % SANDBOX_POPULATION


def sandbox_true_default_probability(customer_ref: str) -> float:
    """The process's true 12-month default probability of a sandbox synthetic customer.

    Known only because the sandbox customer *is* a draw of the documented
    process (:func:`synthetic_profile_for`); ``gateway outcomes simulate``
    draws repayment behaviour from it, never from the model's own PD.
    """
    return float(_sandbox_population()[1][_sandbox_row(customer_ref)])


@functools.lru_cache(maxsize=8192)
def synthetic_profile_for(customer_ref: str) -> Profile:
    """A deterministic synthetic profile for a sandbox customer with no stored profile.

    The customer reference picks one row of a fixed synthetic population
    (:data:`SANDBOX_POPULATION` draws, seed :data:`SANDBOX_SEED`), so a
    sandbox phone always gets the same profile. Drawing one customer on its
    own costs half a millisecond of numpy calls; reading a row of the
    population made once costs a few microseconds.

    Args:
        customer_ref: the customer reference; its hash picks the row.

    Returns:
        That customer of the synthetic population, marked ``synthetic``.
    """
    columns = _sandbox_population()[0]
    return profile_from_columns(customer_ref, columns, _sandbox_row(customer_ref), synthetic=True)


def profile_from_columns(
    customer_ref: str, columns: Columns, row: int, *, synthetic: bool = False
) -> Profile:
    """Row ``row`` of generated columns as a :class:`Profile`."""

    def money(name: str) -> Decimal:
        return Decimal(f"{float(columns[name][row]):.2f}")

    def ratio(name: str) -> float | None:
        value = float(columns[name][row])
        return None if value != value else value

    return Profile(
        customer_ref=customer_ref,
        age=int(columns["age"][row]),
        employment_type=str(columns["employment_type"][row]),
        employment_years=float(columns["employment_years"][row]),
        verified_monthly_income=money("verified_monthly_income"),
        months_with_bank=int(columns["months_with_bank"][row]),
        avg_balance=money("avg_balance"),
        app_logins_30d=int(columns["app_logins_30d"][row]),
        past_loans=int(columns["past_loans"][row]),
        on_time_ratio=ratio("on_time_ratio"),
        delinquencies_12m=int(columns["delinquencies_12m"][row]),
        utilisation=ratio("utilisation"),
        inquiries_6m=int(columns["inquiries_6m"][row]),
        oldest_account_months=int(columns["oldest_account_months"][row]),
        fraud_flag=bool(columns["fraud_flag"][row]),
        blacklist_flag=bool(columns["blacklist_flag"][row]),
        current_delinquency=bool(columns["current_delinquency"][row]),
        monthly_debt_service=money("monthly_debt_service"),
        synthetic=synthetic,
    )
