"""Risk controls across partners: exposure cap, partner concentration, velocity and identity."""
