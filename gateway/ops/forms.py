"""The console's forms (Flask-WTF): every one carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from gateway.approvals.services import TYPES
from gateway.ops.roles import ROLES
from gateway.prequal.terms import GRADES
from gateway.reviews.reasons import REASONS

REVIEW_REASON_CODES = [code for catalogue in REASONS.values() for code in catalogue]


class SignInForm(FlaskForm):  # type: ignore[misc]
    """First factor."""

    email = EmailField("email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=200)])


class TotpForm(FlaskForm):  # type: ignore[misc]
    """Second factor."""

    code = StringField("code", validators=[DataRequired(), Length(min=6, max=8)])


class PasswordForm(FlaskForm):  # type: ignore[misc]
    """Change the password (the one-time one at first sign-in)."""

    current_password = PasswordField("current", validators=[DataRequired()])
    new_password = PasswordField("new", validators=[DataRequired(), Length(min=12, max=200)])
    confirm = PasswordField("confirm", validators=[DataRequired(), EqualTo("new_password")])


class ActionForm(FlaskForm):  # type: ignore[misc]
    """A button that changes something: only the CSRF token."""


class ApprovalRequestForm(FlaskForm):  # type: ignore[misc]
    """Ask for a four-eyes approval."""

    type = SelectField("type", choices=list(TYPES))
    target = StringField("target", validators=[DataRequired(), Length(max=128)])
    reason = TextAreaField("reason", validators=[Length(max=500)])


class DecisionSearchForm(FlaskForm):  # type: ignore[misc]
    """Posted, never a query string: a phone number must not reach access logs."""

    query = StringField("query", validators=[DataRequired(), Length(max=80)])


class UserAddForm(FlaskForm):  # type: ignore[misc]
    """Add a console user."""

    email = EmailField("email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("role", choices=list(ROLES))


class ReviewDecisionForm(FlaskForm):  # type: ignore[misc]
    """Approve (amount, tenors, grade) or uphold a review case; note and reasons always."""

    outcome = RadioField("outcome", choices=["approve", "uphold"])
    amount = StringField("amount", validators=[Optional(), Length(max=16)])
    tenors = SelectMultipleField("tenors", coerce=int, validate_choice=True)
    # Checked by the reviews domain (with its own message); absent on an uphold.
    grade = SelectField("grade", choices=["", *GRADES], validate_choice=False)
    reasons = SelectMultipleField(
        "reasons",
        choices=REVIEW_REASON_CODES,
        validators=[DataRequired()],
    )
    note = TextAreaField("note", validators=[DataRequired(), Length(max=2000)])


class ModelActivationForm(FlaskForm):  # type: ignore[misc]
    """Ask for (or, once approved, carry out) the activation of a model version."""

    version = HiddenField("version", validators=[DataRequired(), Length(max=128)])
    reason = TextAreaField("reason", validators=[Length(max=500)])
