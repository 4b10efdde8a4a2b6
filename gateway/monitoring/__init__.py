"""Model monitoring: stability, mix, performance on matured loans, shadow comparison.

``figures`` modules (:mod:`.stability`, :mod:`.performance`, :mod:`.vintage`,
:mod:`.estimation`) are pure functions over numpy arrays; :mod:`.sample` reads
decisions and outcomes from the database; :mod:`.report` assembles the report;
:mod:`.rendering` draws it; :mod:`.gauges` exposes the alerting figures on
``/metrics``. Serving never imports scikit-learn or pandas from here.
"""
