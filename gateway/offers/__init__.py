"""Offers: signed, priced instalment offers, their acceptance and voiding."""
