"""The development sample's distributions, carried in the artefact for stability monitoring.

Characteristics already carry theirs (each feature's ``counts`` per bin and
``missing_count``). The score's is added here: counts over the model's score
bands — the 20-point bands decisions are stored with (``560-579``) — with the
thin tails folded into the first and last band so that no band holds under
:data:`MIN_TAIL_SHARE` of the sample (a band that small makes PSI jumpy).
Edges sit half a point below each band's first score, so ``bisect_left`` over
the edges puts an integer score in its band, as the scorer bins features.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

BAND_WIDTH = 20
MIN_TAIL_SHARE = 0.01
PD_CAPS = (0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50, 1.0)


def score_baseline(points: npt.NDArray[np.float64]) -> dict[str, Any]:
    """Band edges, labels and development counts of the (rounded) scores."""
    scores = np.rint(np.asarray(points, dtype=np.float64)).astype(np.int64)
    lows = (scores // BAND_WIDTH) * BAND_WIDTH
    bands, counts = np.unique(lows, return_counts=True)
    band_list = [int(b) for b in bands]
    count_list = [int(c) for c in counts]
    floor = MIN_TAIL_SHARE * len(scores)
    while len(band_list) > 2 and count_list[0] < floor:
        first = count_list.pop(0)
        count_list[0] += first
        band_list.pop(0)
    while len(band_list) > 2 and count_list[-1] < floor:
        last = count_list.pop()
        count_list[-1] += last
        band_list.pop()
    labels = [f"{b}-{b + BAND_WIDTH - 1}" for b in band_list]
    labels[0] = f"<{band_list[1]}"
    labels[-1] = f"{band_list[-1]}+"
    return {
        "band_width": BAND_WIDTH,
        "edges": [b - 0.5 for b in band_list[1:]],
        "labels": labels,
        "counts": count_list,
        "rows": len(scores),
    }


def auc_by_pd_cap(pd: npt.NDArray[np.float64], y: npt.NDArray[np.int_]) -> list[dict[str, Any]]:
    """Development AUC among the rows with PD below each cap in :data:`PD_CAPS`.

    Booked loans never include applicants declined for their PD, and that
    range restriction alone lowers AUC; monitoring compares the AUC of matured
    loans with the development AUC over the same PD range, read from here.
    """
    from gateway.monitoring.performance import auc

    scores = np.asarray(pd, dtype=np.float64)
    labels = np.asarray(y, dtype=np.int64)
    out = []
    for cap in PD_CAPS:
        mask = scores < cap if cap < 1.0 else np.ones(len(scores), dtype=bool)
        bads = int(labels[mask].sum())
        if 0 < bads < int(mask.sum()):
            out.append(
                {
                    "pd_cap": cap,
                    "rows": int(mask.sum()),
                    "auc": round(auc(labels[mask], scores[mask]), 4),
                }
            )
    return out
