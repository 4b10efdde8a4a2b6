"""Pre-approval campaigns: eligibility out, a PySpark build, lists back in, honoured at checkout.

Only :mod:`gateway.campaigns.job` (and the modules it runs on workers) import
pyspark, pandas or pyarrow, and only the commands that need them import those
modules: the serving path never does.
"""
