"""The funnel report as one self-contained HTML page: tables and inline SVG charts.

No script, font or stylesheet is fetched from anywhere: the page opens the
same on an air-gapped operations laptop. Every number sits in a table cell
with ``data-*`` attributes naming it, so tests (and scrapers) read it exactly.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from gateway.campaigns.funnel import STEPS as CAMPAIGN_STEPS
from gateway.clock import rfc3339
from gateway.funnel.report import STEPS

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;
margin:2rem auto;max-width:72rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid #d8dce4;padding:.3rem .7rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.meta{color:#5b6475}svg text{font-size:12px;fill:#1d2330}
"""
_BAR = "#2f6fde"
_BAR_ALT = "#d9822b"


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def bar_chart(rows: Sequence[tuple[str, float, str]], *, colour: str = _BAR) -> str:
    """Horizontal bars as inline SVG: ``(label, value, caption)`` per bar."""
    label_w, bar_w, row_h = 190, 420, 26
    top = max((value for _, value, _ in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 150}" '
        f'height="{row_h * len(rows) + 8}">'
    ]
    for i, (label, value, caption) in enumerate(rows):
        y = 4 + i * row_h
        width = round(bar_w * value / top, 1)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 8}" '
            f'fill="{colour}" rx="2"><title>{_e(label)}: {_e(caption)}</title></rect>'
            f'<text x="{label_w + width + 6}" y="{y + 16}">{_e(caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _funnel_table(steps: Sequence[dict[str, Any]]) -> str:
    rows = "".join(
        f'<tr data-step="{_e(s["step"])}"><td>{_e(s["step"])}</td>'
        f'<td data-field="count">{s["count"]}</td>'
        f'<td data-field="conversion">{_pct(s["conversion"])}</td>'
        f'<td data-field="overall">{_pct(s["overall"])}</td></tr>'
        for s in steps
    )
    return (
        "<table><tr><th>step</th><th>customers</th><th>from previous step</th>"
        f"<th>from prequalified</th></tr>{rows}</table>"
    )


def _dimension_table(name: str, groups: Sequence[dict[str, Any]]) -> str:
    head = "".join(f"<th>{_e(step)}</th>" for step in STEPS)
    rows = []
    for group in groups:
        cells = "".join(
            f'<td data-step="{_e(s["step"])}">{s["count"]}</td>' for s in group["steps"]
        )
        rows.append(
            f'<tr data-{_e(name.replace("_", "-"))}="{_e(group["key"])}">'
            f"<td>{_e(group['key'])}</td>{cells}"
            f'<td data-field="overall">{_pct(group["steps"][-1]["overall"])}</td></tr>'
        )
    return (
        f'<table data-dimension="{_e(name)}"><tr><th>{_e(name)}</th>{head}'
        f"<th>funded / prequalified</th></tr>{''.join(rows)}</table>"
    )


def _experiments(results: Sequence[dict[str, Any]]) -> str:
    if not results:
        return "<p>No experiment ran in this period.</p>"
    out = []
    for result in results:
        rows = []
        for arm in result["arms"]:
            stats = (
                f'<td data-field="difference">{arm["difference"]:+.4f}</td>'
                f'<td data-field="ci">[{arm["ci_low"]:+.4f}, {arm["ci_high"]:+.4f}]</td>'
                f'<td data-field="z">{arm["z"]:.3f}</td>'
                f'<td data-field="p_value">{arm["p_value"]:.4f}</td>'
                if "difference" in arm
                else '<td colspan="4">control</td>'
            )
            rows.append(
                f'<tr data-arm="{_e(arm["arm"])}"><td>{_e(arm["arm"])}</td>'
                f'<td data-field="n">{arm["n"]}</td><td data-field="x">{arm["x"]}</td>'
                f'<td data-field="rate">{_pct(arm["rate"])}</td>{stats}</tr>'
            )
        out.append(
            f"<h3>{_e(result['experiment'])} — {_e(result['metric'])}</h3>"
            f'<table data-experiment="{_e(result["experiment"])}"><tr><th>arm</th><th>n</th>'
            "<th>converted</th><th>rate</th><th>difference vs control</th><th>95% CI</th>"
            f"<th>z</th><th>p (two-sided)</th></tr>{''.join(rows)}</table>"
        )
    return "".join(out)


def _reasons(kind: str, reasons: Sequence[dict[str, Any]]) -> str:
    if not reasons:
        return f"<p>No {kind} declines in this period.</p>"
    chart = bar_chart(
        [(r["code"], r["count"], f"{r['count']} ({_pct(r['share'])})") for r in reasons],
        colour=_BAR_ALT,
    )
    rows = "".join(
        f'<tr data-reason="{_e(r["code"])}"><td>{_e(r["code"])}</td>'
        f'<td data-field="count">{r["count"]}</td>'
        f'<td data-field="share">{_pct(r["share"])}</td></tr>'
        for r in reasons
    )
    return (
        f'{chart}<table data-reasons="{_e(kind)}"><tr><th>reason</th><th>count</th>'
        f"<th>share of declines</th></tr>{rows}</table>"
    )


def _reviews(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "<p>No referrals or review requests.</p>"
    columns = [c for c in rows[0] if c != "partner"]
    head = "".join(f"<th>{_e(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        f"<tr><td>{_e(r['partner'])}</td>" + "".join(f"<td>{r[c]}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f'<table data-reviews="partner"><tr><th>partner</th>{head}</tr>{body}</table>'


def _campaigns(campaigns: Sequence[dict[str, Any]]) -> str:
    if not campaigns:
        return "<p>No campaign list was loaded.</p>"
    rows = []
    for c in campaigns:
        for key, group in [("all", c), *((f"grade {g['key']}", g) for g in c["by"]["grade"])]:
            rows.append(
                f'<tr data-campaign="{_e(c["campaign_id"])}" data-group="{_e(key)}">'
                f"<td>{_e(c['campaign_id'])}</td><td>{_e(key)}</td>"
                + "".join(f"<td>{group[s]}</td>" for s in CAMPAIGN_STEPS)
                + f"<td>{_pct(group['conversion']['loan_per_contact'])}</td></tr>"
            )
    head = "".join(f"<th>{_e(s)}</th>" for s in CAMPAIGN_STEPS)
    return (
        f"<table><tr><th>campaign</th><th>group</th>{head}<th>loans / contacts</th></tr>"
        f"{''.join(rows)}</table>"
    )


def render(report: dict[str, Any]) -> str:
    """The report (from :func:`gateway.funnel.report.build`) as a standalone HTML page."""
    steps = report["steps"]
    chart = bar_chart(
        [(s["step"], s["count"], f"{s['count']} ({_pct(s['overall'])})") for s in steps]
    )
    scope = (
        f"{rfc3339(report['since'])} to {rfc3339(report['until'])} · partner: "
        f"{report['partner'] or 'all'} · environment: {report['environment'] or 'all'}"
    )
    sections = "".join(
        f"<h2>By {_e(name.replace('_', ' '))}</h2>{_dimension_table(name, groups)}"
        for name, groups in report["by"].items()
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Instalment funnel report</title>"
        f"<style>{_STYLE}</style></head><body>"
        f'<h1>Instalment funnel</h1><p class="meta">{_e(scope)}</p>'
        f"<h2>Funnel</h2>{chart}{_funnel_table(steps)}{sections}"
        f"<h2>Experiments</h2>{_experiments(report['experiments'])}"
        "<h2>Decline reasons at prequalification</h2>"
        f"{_reasons('prequalification', report['decline_reasons']['prequalification'])}"
        "<h2>Decline reasons at final underwriting</h2>"
        f"{_reasons('underwriting', report['decline_reasons']['underwriting'])}"
        f"<h2>Human review</h2>{_reviews(report.get('reviews', []))}"
        f"<h2>Campaigns</h2>{_campaigns(report.get('campaigns', []))}"
        "</body></html>"
    )
