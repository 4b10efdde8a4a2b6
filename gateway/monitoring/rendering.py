"""The monitoring report as HTML: tables and inline SVG charts, no script, nothing fetched.

:func:`render_body` is the report's body (for the operations console, which
wraps it in its own layout); :func:`render` is the standalone page written by
``gateway model monitor --html``. Every figure sits in a cell with ``data-*``
attributes naming it, as in the funnel report.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from gateway.funnel.rendering import _STYLE, bar_chart

# Levels are classes, not inline styles, so the console can embed the body under a
# CSP without 'unsafe-inline'; the standalone page and the console's stylesheet colour them.
_LEVEL_STYLE = ".level.stable{color:#1d6b35}.level.watch{color:#8a4b00}.level.alert{color:#a3261b}"
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
    'width="{w}" height="{h}">'
)
_LINES = ("#2f6fde", "#d9822b", "#2f8f5b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _level(level: str) -> str:
    return f'<span class="level {_e(level)}">{_e(level)}</span>'


def _labelled(svg: str, label: str) -> str:
    """Name a ``role="img"`` chart for screen readers (the tables carry the numbers)."""
    return svg.replace('role="img"', f'role="img" aria-label="{_e(label)}"', 1)


def distribution_chart(
    labels: Sequence[str], expected: Sequence[int], actual: Sequence[int]
) -> str:
    """Paired bars of development and live shares per bin, as inline SVG."""
    total_e, total_a = sum(expected) or 1, sum(actual) or 1
    width, height, pad = 640, 180, 28
    step = (width - 2 * pad) / max(len(labels), 1)
    top = max([e / total_e for e in expected] + [a / total_a for a in actual] + [0.01])
    label = "Score distribution by band: development and live shares"
    parts = [_SVG.format(label=label, w=width, h=height + 40)]
    for i, label in enumerate(labels):
        x = pad + i * step
        for j, (share, colour) in enumerate(
            ((expected[i] / total_e, "#9aa5b8"), (actual[i] / total_a, "#2f6fde"))
        ):
            h = round(height * share / top, 1)
            parts.append(
                f'<rect x="{x + j * step * 0.42:.1f}" y="{height - h + 8}" '
                f'width="{step * 0.4:.1f}" '
                f'height="{h}" fill="{colour}"><title>{_e(label)} '
                f"{'development' if j == 0 else 'live'}: {share * 100:.1f}%</title></rect>"
            )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height + 24}" '
            f'text-anchor="middle">{_e(label)}</text>'
        )
    parts.append(f'<text x="{pad}" y="{height + 38}">grey: development · blue: live</text></svg>')
    return "".join(parts)


def line_chart(series: Mapping[str, Sequence[float | None]], *, y_label: str) -> str:
    """One polyline per series over 1..n (``None`` points skipped), as inline SVG."""
    width, height, pad = 640, 220, 36
    n = max((len(v) for v in series.values()), default=0)
    top = max([v for vs in series.values() for v in vs if v is not None] + [0.01])
    parts = [_SVG.format(label=_e(y_label), w=width, h=height + 50)]
    parts.append(
        f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#9aa5b8"/>'
        f'<text x="{pad}" y="14">{_e(y_label)} (max {top * 100:.1f}%)</text>'
    )
    for k, (name, values) in enumerate(sorted(series.items())):
        points = [
            f"{pad + (width - 2 * pad) * i / max(n - 1, 1):.1f},"
            f"{height - (height - 24) * v / top:.1f}"
            for i, v in enumerate(values)
            if v is not None
        ]
        colour = _LINES[k % len(_LINES)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}">'
            f"<title>{_e(name)}</title></polyline>"
            f'<text x="{pad + 110 * (k % 5)}" y="{height + 20 + 14 * (k // 5)}" '
            f'fill="{colour}">{_e(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _stability(report: Mapping[str, Any]) -> str:
    overall = report["stability"]["overall"]
    score = overall["score"]
    rows = "".join(
        f'<tr data-characteristic="{_e(c["name"])}"><td>{_e(c["name"])}</td>'
        f'<td data-field="csi">{c["csi"]:.4f}</td><td>{_level(c["level"])}</td></tr>'
        for c in overall["characteristics"]
    )
    partners = "".join(
        f'<tr data-partner="{_e(name)}"><td>{_e(name)}</td><td>{p["decisions"]}</td>'
        f'<td data-field="psi">{p["psi"]:.4f}</td><td>{_level(p["level"])}</td>'
        f"<td>{_e((p['top_characteristic'] or {}).get('name', '-'))}</td></tr>"
        for name, p in report["stability"]["partners"].items()
    )
    csi_chart = _labelled(
        bar_chart(
            [
                (c["name"], c["csi"], f"{c['csi']:.3f} {c['level']}")
                for c in overall["characteristics"]
            ]
        ),
        "CSI by characteristic",
    )
    return (
        f"<h2>Stability</h2><p>{overall['decisions']} decisions. Score PSI "
        f'<strong data-figure="psi">{score["psi"]:.4f}</strong> {_level(score["level"])}</p>'
        f"{distribution_chart(score['bands'], score['expected'], score['actual'])}"
        f"<h3>Characteristics (CSI)</h3>{csi_chart}"
        f"<table><tr><th>characteristic</th><th>CSI</th><th>level</th></tr>{rows}</table>"
        "<h3>By partner</h3><table><tr><th>partner</th><th>decisions</th><th>PSI</th>"
        f"<th>level</th><th>largest CSI</th></tr>{partners}</table>"
    )


def _mix(report: Mapping[str, Any]) -> str:
    out = ["<h2>Mix</h2>"]
    for dimension in ("partners", "scenarios", "segments", "new_to_bank", "weeks"):
        groups = report["mix"][dimension]
        rows = "".join(
            f'<tr data-{_e(dimension)}="{_e(name)}"><td>{_e(name)}</td><td>{g["decisions"]}</td>'
            f'<td data-field="approval_rate">{g["approval_rate"] * 100:.1f}%</td>'
            f"<td>{g['mean_pd'] if g['mean_pd'] is not None else '-'}</td>"
            f"<td>{_e(', '.join(f'{k} {v}' for k, v in g['decline_reasons'].items()))}</td></tr>"
            for name, g in groups.items()
        )
        out.append(
            f"<h3>By {_e(dimension.replace('_', ' '))}</h3><table><tr><th></th><th>decisions</th>"
            f"<th>approval</th><th>mean PD</th><th>top decline reasons</th></tr>{rows}</table>"
        )
    return "".join(out)


def _performance(report: Mapping[str, Any]) -> str:
    perf = report["performance"]
    realised, dev = perf["realised"], perf["development"]
    est = perf["estimated_matured"]
    figures = "".join(
        f'<tr data-figure="{k}"><td>{k}</td><td>{dev.get(k, "-")}</td>'
        f'<td data-field="realised">{realised.get(k, "-")}</td><td>{est.get(k, "-")}</td></tr>'
        for k in ("auc", "ks", "brier", "bad_rate")
    )
    calibration = "".join(
        f'<tr data-band="{_e(r["band"])}"><td>{_e(r["band"])}</td><td>{r["loans"]}</td>'
        f"<td>{r['bads']}</td><td>{r['predicted_pd']:.4f}</td>"
        f'<td data-field="observed">{r["observed_bad_rate"]:.4f}</td>'
        f"<td>[{r['interval'][0]:.4f}, {r['interval'][1]:.4f}]</td>"
        f'<td data-field="within">{"yes" if r["within"] else "NO"}</td></tr>'
        for r in perf["calibration"]
    )
    return (
        f"<h2>Performance ({perf['window_months']}-month window)</h2>"
        f"<p>{realised['loans']} matured loans ({realised['bads']} bad), "
        f"{perf['immature_loans']} not yet matured; CBPE over all loans: "
        f"{_e(perf['estimated_all'])}</p>"
        "<table><tr><th>figure</th><th>development</th><th>realised (matured)</th>"
        f"<th>estimated (CBPE, same loans)</th></tr>{figures}</table>"
        "<h3>Calibration by score band</h3><table><tr><th>band</th><th>loans</th><th>bads</th>"
        "<th>predicted PD</th><th>observed</th><th>95% Wilson interval</th><th>inside</th></tr>"
        f"{calibration}</table>"
        "<h3>Vintages: cumulative bad rate by months on book</h3>"
        f"{line_chart(perf['vintages'], y_label='cumulative bad rate')}"
    )


def _shadow(report: Mapping[str, Any]) -> str:
    shadow = report["shadow"]
    if not shadow.get("decisions"):
        return "<h2>Shadow challenger</h2><p>No shadow scores in this window.</p>"
    rows = "".join(
        f'<tr data-figure="{_e(k)}"><td>{_e(k)}</td><td>{_e(shadow[k])}</td></tr>'
        for k in (
            "shadow_versions",
            "decisions",
            "agreement",
            "swap_in",
            "swap_out",
            "champion_approval_rate",
            "shadow_approval_rate_at_same_cut",
            "mean_pd",
            "score_correlation",
            "outcomes",
        )
        if k in shadow
    )
    return f"<h2>Shadow challenger</h2><table>{rows}</table>"


def render_body(report: Mapping[str, Any]) -> str:
    """The report's sections, without page chrome (the console embeds this)."""
    model = report["model"]
    meta = (
        f"model {model['version']} · {report['window']['since']} to {report['window']['until']}"
        f" · partner {report['filters']['partner'] or 'all'} · environment "
        f"{report['filters']['environment'] or 'all'} · thresholds watch "
        f"{report['thresholds']['watch']} alert {report['thresholds']['alert']}"
    )
    return (
        f'<p class="meta">{_e(meta)}</p>{_stability(report)}{_mix(report)}'
        f"{_performance(report)}{_shadow(report)}"
    )


def render(report: Mapping[str, Any]) -> str:
    """The standalone page."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Model monitoring report</title><style>{_STYLE}{_LEVEL_STYLE}</style></head><body>"
        f"<h1>Model monitoring</h1>{render_body(report)}</body></html>"
    )
