"""Human review: the queue bank staff work, and the decisions partners hear back about.

A case is opened for every ``referred`` decision (with the decision) and for
every customer request for a person to review a ``declined`` or
``partially_approved`` one (PIPL Art. 24). Staff claim it, read its dossier
and decide it (``approve`` with new signed offers, or ``uphold`` with an
explanation); the partner hears back by webhook and on the prequalification.
"""
