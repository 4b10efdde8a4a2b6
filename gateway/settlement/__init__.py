"""A day's settlement with each partner: funded, refunded, merchant subsidy owed, net."""
