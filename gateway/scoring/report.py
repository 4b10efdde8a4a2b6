"""The training report: one self-contained HTML file with inline SVG charts.

No plotting library and no CDN: the ROC curve, the score distribution and the
calibration plot are drawn here as SVG polylines and rectangles, so the report
opens offline and adds no dependency.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

W, H, PAD = 360, 260, 40
COLOURS = {"champion": "#1f6feb", "challenger": "#d97706", "good": "#16a34a", "bad": "#dc2626"}


def _frame(title: str, x_label: str, y_label: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img">',
        f"<title>{html.escape(title)}</title>",
        f'<rect x="{PAD}" y="10" width="{W - PAD - 10}" height="{H - PAD - 10}" '
        'fill="none" stroke="#999"/>',
        f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle" font-size="11">{x_label}</text>',
        f'<text x="12" y="{H / 2}" font-size="11" transform="rotate(-90 12 {H / 2})" '
        f'text-anchor="middle">{y_label}</text>',
    ]


def _xy(x: float, y: float) -> str:
    px = PAD + x * (W - PAD - 10)
    py = 10 + (1 - y) * (H - PAD - 10)
    return f"{px:.1f},{py:.1f}"


def _polyline(xs: Sequence[float], ys: Sequence[float], colour: str, dash: bool = False) -> str:
    points = " ".join(_xy(x, y) for x, y in zip(xs, ys, strict=True))
    style = ' stroke-dasharray="4 3"' if dash else ""
    return f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{style} points="{points}"/>'


def roc_svg(y: npt.NDArray[np.int_], predictions: dict[str, npt.NDArray[np.float64]]) -> str:
    """ROC curves of each model's PDs."""
    from sklearn.metrics import roc_auc_score, roc_curve

    parts = _frame("ROC", "false positive rate", "true positive rate")
    parts.append(_polyline([0, 1], [0, 1], "#999", dash=True))
    for i, (name, pd) in enumerate(predictions.items()):
        fpr, tpr, _ = roc_curve(y, pd)
        keep = np.linspace(0, len(fpr) - 1, min(len(fpr), 200)).astype(int)
        parts.append(_polyline(fpr[keep].tolist(), tpr[keep].tolist(), COLOURS.get(name, "#333")))
        auc = roc_auc_score(y, pd)
        parts.append(
            f'<text x="{W - 20}" y="{H - PAD - 10 - 14 * i}" text-anchor="end" font-size="11" '
            f'fill="{COLOURS.get(name, "#333")}">{name} AUC {auc:.3f}</text>'
        )
    return "\n".join([*parts, "</svg>"])


def distribution_svg(
    points: npt.NDArray[np.float64], y: npt.NDArray[np.int_], bins: int = 30
) -> str:
    """Histogram of scores, goods and bads side by side (each normalised to its own total)."""
    parts = _frame("Score distribution", "score", "share of group")
    edges = np.linspace(float(points.min()), float(points.max()) + 1e-9, bins + 1)
    good = np.histogram(points[y == 0], edges)[0] / max(int((y == 0).sum()), 1)
    bad = np.histogram(points[y == 1], edges)[0] / max(int((y == 1).sum()), 1)
    top = max(float(good.max()), float(bad.max()), 1e-9)
    width = (W - PAD - 10) / bins
    for i in range(bins):
        for j, (share, name) in enumerate(((good[i], "good"), (bad[i], "bad"))):
            height = share / top * (H - PAD - 20)
            parts.append(
                f'<rect x="{PAD + i * width + j * width / 2:.1f}" y="{H - PAD - height:.1f}" '
                f'width="{width / 2:.1f}" height="{height:.1f}" fill="{COLOURS[name]}" '
                'opacity="0.7"/>'
            )
    for j, name in enumerate(("good", "bad")):
        parts.append(
            f'<text x="{PAD + 6}" y="{24 + 13 * j}" font-size="11" fill="{COLOURS[name]}">'
            f"{name}</text>"
        )
    parts.append(f'<text x="{PAD}" y="{H - PAD + 12}" font-size="10">{edges[0]:.0f}</text>')
    parts.append(
        f'<text x="{W - 10}" y="{H - PAD + 12}" font-size="10" text-anchor="end">'
        f"{edges[-1]:.0f}</text>"
    )
    return "\n".join([*parts, "</svg>"])


def calibration_svg(y: npt.NDArray[np.int_], pd: npt.NDArray[np.float64], groups: int = 10) -> str:
    """Observed bad rate against mean predicted PD per PD decile."""
    order = np.argsort(pd, kind="stable")
    chunks = [c for c in np.array_split(order, groups) if len(c)]
    predicted = [float(pd[c].mean()) for c in chunks]
    observed = [float(y[c].mean()) for c in chunks]
    top = max(max(predicted), max(observed), 1e-9) * 1.05
    parts = _frame("Calibration", f"predicted PD (0-{top:.2f})", "observed bad rate")
    parts.append(_polyline([0, 1], [0, 1], "#999", dash=True))
    for p, o in zip(predicted, observed, strict=True):
        x, yy = _xy(p / top, o / top).split(",")
        parts.append(f'<circle cx="{x}" cy="{yy}" r="3" fill="{COLOURS["champion"]}"/>')
    return "\n".join([*parts, "</svg>"])


def write_report(
    path: Path,
    artefact: dict[str, Any],
    points: npt.NDArray[np.float64],
    pd: npt.NDArray[np.float64],
    y: npt.NDArray[np.int_],
    oof_pd: dict[str, npt.NDArray[np.float64]] | None,
) -> None:
    """Write the HTML report: metrics, the three charts and the scorecard table."""
    curves = oof_pd if oof_pd is not None else {"champion": pd}
    calibration_pd = curves["champion"]
    rows = []
    for feature in artefact["features"]:
        if feature["type"] == "numeric":
            labels = _numeric_labels(feature["edges"])
        else:
            labels = _category_labels(feature["categories"], len(feature["points"]))
        for label, points_, count in zip(labels, feature["points"], feature["counts"], strict=True):
            rows.append(
                f"<tr><td>{html.escape(feature['name'])}</td><td>{html.escape(label)}</td>"
                f"<td>{count}</td><td>{points_:.1f}</td></tr>"
            )
        rows.append(
            f"<tr><td>{html.escape(feature['name'])}</td><td>(missing)</td>"
            f"<td>{feature['missing_count']}</td><td>{feature['missing_points']:.1f}</td></tr>"
        )
    metrics = html.escape(json.dumps(artefact["metrics"], indent=1))
    source = "out-of-fold" if oof_pd is not None else "in-sample"
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Model report {html.escape(artefact["version"])}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}}
svg{{margin:0 1em 1em 0}}table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;
padding:2px 8px;font-size:13px}}pre{{background:#f6f8fa;padding:1em;font-size:12px}}</style>
</head><body>
<h1>Model {html.escape(artefact["version"])}</h1>
<p>sha256 <code>{artefact["sha256"]}</code>; intercept {artefact["intercept_points"]:.1f}
points; scaling {artefact["scaling"]["base_score"]:.0f} points at
{artefact["scaling"]["base_odds"]:.0f}:1, {artefact["scaling"]["pdo"]:.0f} PDO.</p>
<h2>Charts ({source} predictions)</h2>
{roc_svg(y, curves)}
{distribution_svg(points, y)}
{calibration_svg(y, calibration_pd)}
<h2>Metrics</h2><pre>{metrics}</pre>
<h2>Scorecard</h2>
<table><tr><th>feature</th><th>bin</th><th>rows</th><th>points</th></tr>
{"".join(rows)}
</table></body></html>
"""
    path.write_text(body, encoding="utf-8")


def _numeric_labels(edges: list[float]) -> list[str]:
    bounds = [float("-inf"), *edges, float("inf")]
    return [f"({lo:g}, {hi:g}]" for lo, hi in itertools.pairwise(bounds)]


def _category_labels(categories: dict[str, int], bins: int) -> list[str]:
    labels: list[list[str]] = [[] for _ in range(bins)]
    for name, index in categories.items():
        labels[index].append(name)
    return [", ".join(names) or "(other)" for names in labels]
