"""Scoring speed: one applicant through the compiled scorer; a million through score-batch.

Figures:
- per-applicant scoring (mean and p99, µs) of the bundled default model over
  synthetic profiles, timed in batches of calls so the timer's own cost is
  spread out;
- vectorised scoring of 1,000,000 profiles already in memory (numpy);
- the whole ``score-batch`` path for 1,000,000 rows: parse the CSV, score,
  hash every phone into a customer reference, write the output CSV.

Wall-clock figures are the targets; CPU-time figures beside them show how
much of the wall time was the machine being busy with something else.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import Figure
from gateway.profiles.population import write_population_csv
from gateway.profiles.synthetic import generate_population, synthetic_profile_for
from gateway.scoring.artefact import bundled_version, find_artefacts, load_artefact
from gateway.scoring.batch import score_frame
from gateway.scoring.batch_io import score_csv
from gateway.scoring.frame import Frame
from gateway.scoring.scorer import CompiledScorer

APPLICANTS = 2_000
ROUNDS = 50
CALLS_PER_SAMPLE = 100
BATCH_ROWS = 1_000_000


def _per_applicant(scorer: CompiledScorer) -> tuple[float, float, float]:
    features = [synthetic_profile_for(f"cus_bench_{i}").features() for i in range(APPLICANTS)]
    for values in features:  # warm up
        scorer.score(values)
    samples = []
    score = scorer.score
    cpu = time.process_time()
    for _ in range(ROUNDS):
        for start in range(0, APPLICANTS, CALLS_PER_SAMPLE):
            chunk = features[start : start + CALLS_PER_SAMPLE]
            began = time.perf_counter()
            for values in chunk:
                score(values)
            samples.append((time.perf_counter() - began) / len(chunk) * 1e6)
    cpu_each = (time.process_time() - cpu) / (ROUNDS * APPLICANTS) * 1e6
    samples.sort()
    return statistics.fmean(samples), samples[int(len(samples) * 0.99) - 1], cpu_each


def run() -> list[Figure]:
    """Measure and return the scoring figures."""
    artefact = load_artefact(find_artefacts(Path("/nonexistent"))[bundled_version()])
    scorer = CompiledScorer(artefact)
    mean, p99, cpu_each = _per_applicant(scorer)
    columns, defaulted = generate_population(BATCH_ROWS, 1)
    frame = Frame({k: v for k, v in columns.items() if k != "persona"}, BATCH_ROWS)
    began, cpu = time.perf_counter(), time.process_time()
    score_frame(artefact, frame)
    in_memory, in_memory_cpu = time.perf_counter() - began, time.process_time() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        data, out = Path(tmp) / "profiles.csv", Path(tmp) / "scores.csv"
        write_population_csv(data, columns, defaulted, 1)
        began, cpu = time.perf_counter(), time.process_time()
        score_csv(artefact, data, out, "bench-pepper-" + "x" * 32)
        end_to_end, end_to_end_cpu = time.perf_counter() - began, time.process_time() - cpu
    return [
        Figure("scoring: per applicant, mean", mean, "µs", "< 20 µs"),
        Figure("scoring: per applicant, p99", p99, "µs", "< 20 µs"),
        Figure("scoring: per applicant, CPU time", cpu_each, "µs"),
        Figure("scoring: 1M profiles in memory (numpy), wall", in_memory, "s", "< 10 s"),
        Figure("scoring: 1M profiles in memory (numpy), CPU", in_memory_cpu, "s"),
        Figure("score-batch: 1M rows CSV->CSV incl. hashing, wall", end_to_end, "s", "< 10 s"),
        Figure("score-batch: 1M rows CSV->CSV incl. hashing, CPU", end_to_end_cpu, "s"),
    ]
