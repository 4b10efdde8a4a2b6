"""Risk controls across partners: exposure caps, partner concentration, velocity and identity rules."""
