"""Loan outcomes: the bank's loan performance feed and each loan's servicing state."""
