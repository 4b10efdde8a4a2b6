"""Prequalification: pricing, schedules, true APR, policy and affordability.

The modules here are pure (no database, no HTTP) and fast enough to run inside
a prequalification request:

- :mod:`gateway.prequal.terms`: the product terms pricing works from;
- :mod:`gateway.prequal.schedules`: repayment schedules to the fen;
- :mod:`gateway.prequal.apr`: the true APR (IRR of the cash flows);
- :mod:`gateway.prequal.pricing`: priced offers and the products teaser;
- :mod:`gateway.prequal.affordability`: the largest affordable principal;
- :mod:`gateway.prequal.policy`: knock-outs, grades, referral, partial approval;
- :mod:`gateway.prequal.reasons`: stable reason codes with zh-CN/en texts.

The maths is explained with worked examples in ``docs/pricing.md``.
"""
