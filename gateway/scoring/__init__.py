"""Scoring: scorecard training (CLI only), the JSON artefact, the compiled serving scorer.

Serving modules (``artefact``, ``scorer``, ``segments`` at serving, ``reasons``,
``registry``) import neither scikit-learn nor pickle; training modules
(``binning``, ``training``, ``evaluation``, ``report``) are imported only by the
``gateway model`` commands.
"""
