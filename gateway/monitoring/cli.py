"""``gateway model monitor [--since] [--partner] [--json | --html OUT]`` (attached to ``model``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from gateway.clock import utcnow
from gateway.funnel.cli import parse_since
from gateway.monitoring.report import Thresholds, build, record
from gateway.sessions import get_database

COMMANDS: tuple[click.Command, ...] = ()  # ``monitor`` joins ``gateway model`` (scoring.cli)


def _print_summary(report: dict[str, Any]) -> None:
    stability = report["stability"]["overall"]
    score = stability["score"]
    click.echo(
        f"model {report['model']['version']}  decisions {stability['decisions']}  "
        f"score PSI {score['psi']:.4f} ({score['level']})"
    )
    for c in stability["characteristics"]:
        click.echo(f"  CSI {c['name']:<26} {c['csi']:.4f}  {c['level']}")
    for name, figures in report["mix"]["partners"].items():
        click.echo(
            f"partner {name:<20} decisions {figures['decisions']:>6}  "
            f"approval {figures['approval_rate'] * 100:5.1f}%  mean PD {figures['mean_pd']}"
        )
    realised = report["performance"]["realised"]
    click.echo(
        f"matured loans {realised['loans']}  bads {realised['bads']}  "
        + "  ".join(
            f"{k} {realised[k]}"
            for k in ("auc", "ks", "brier", "auc_vs_development")
            if k in realised
        )
    )
    shadow = report["shadow"]
    if shadow.get("decisions"):
        click.echo(
            f"shadow {','.join(shadow['shadow_versions'])}: agreement {shadow['agreement']:.4f}, "
            f"swap in {shadow['swap_in']}, swap out {shadow['swap_out']}, approval at the same "
            f"cut {shadow['shadow_approval_rate_at_same_cut']:.4f} vs champion "
            f"{shadow['champion_approval_rate']:.4f}"
        )


@click.command("monitor")
@click.option("--since", default="30d", show_default=True, help="30d, 12h, 2w or an ISO date.")
@click.option("--partner", help="Only this partner (not recorded for /metrics).")
@click.option("--env", "environment", type=click.Choice(["sandbox", "live"]), help="Only one.")
@click.option("--watch", default=0.10, show_default=True, type=click.FloatRange(0, 10))
@click.option("--alert", default=0.25, show_default=True, type=click.FloatRange(0, 10))
@click.option("--window-months", default=12, show_default=True, type=click.IntRange(1, 60))
@click.option("--record/--no-record", "keep", default=True, help="Store the gauges for /metrics.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write HTML here."
)
def monitor_command(
    since: str,
    partner: str | None,
    environment: str | None,
    watch: float,
    alert: float,
    window_months: int,
    keep: bool,
    as_json: bool,
    html_out: Path | None,
) -> None:
    """Stability, mix, calibration, vintages and shadow comparison of the active model."""
    from gateway.monitoring.rendering import render
    from gateway.scoring.registry import active_scorer

    now = utcnow()
    start = parse_since(since, now)
    thresholds = Thresholds(watch, alert, window_months)
    with get_database().new_session() as db:
        scorer = active_scorer(db)
        report = build(
            db,
            scorer,
            since=start,
            now=now,
            partner=partner,
            environment=environment,
            thresholds=thresholds,
        )
        if keep and partner is None:
            record(db, report, since=start, now=now)
            db.commit()
    if html_out is not None:
        html_out.write_text(render(report), encoding="utf-8")
        if not as_json:
            click.echo(f"wrote {html_out}")
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    elif html_out is None:
        _print_summary(report)
