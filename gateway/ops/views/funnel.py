"""The funnel of the last 30 days, with the report's own chart."""

from __future__ import annotations

import datetime as dt

from flask import render_template
from markupsafe import Markup, escape

from gateway.clock import utcnow
from gateway.funnel import report
from gateway.funnel.rendering import bar_chart
from gateway.ops.auth import requires
from gateway.ops.blueprint import bp, nav
from gateway.ops.i18n import translate
from gateway.sessions import session as db_session

nav("nav.funnel", "console.funnel", "console.read", order=50)


@bp.get("/funnel", endpoint="funnel")
@requires("console.read")
def funnel_page() -> str:
    """Steps, shares and decline reasons (same numbers as ``gateway report funnel``)."""
    now = utcnow()
    data = report.build(db_session(), since=now - dt.timedelta(days=30), until=now)
    steps = data["steps"]
    chart = bar_chart(
        [(s["step"], s["count"], f"{s['count']} ({s['overall'] * 100:.1f}%)") for s in steps]
    )
    # The chart is role="img": name it for screen readers (the table below has the numbers).
    label = escape(translate("funnel.title"))
    chart = chart.replace("<svg ", f'<svg aria-label="{label}" ', 1)
    return render_template(
        "ops/funnel/show.html",
        steps=steps,
        chart=Markup(chart),  # noqa: S704 - built by gateway.funnel.rendering, every value escaped
        reasons=data["decline_reasons"],
    )
