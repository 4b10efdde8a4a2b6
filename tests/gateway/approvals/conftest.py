"""Console users and the small model artefact, shared with the ops and scoring tests."""

from tests.gateway.ops.conftest import make_staff
from tests.gateway.scoring.conftest import default_spec, population_csv, small_artefact

__all__ = ["default_spec", "make_staff", "population_csv", "small_artefact"]
