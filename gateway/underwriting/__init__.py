"""Final underwriting: the loan-origination adapter interface and its simulator."""
