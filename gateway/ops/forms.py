"""The console's forms (Flask-WTF): every one carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length

from gateway.approvals.services import TYPES
from gateway.ops.roles import ROLES


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
