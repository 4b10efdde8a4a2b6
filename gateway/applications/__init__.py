"""Applications: what an accepted offer becomes, through underwriting to funding."""
