"""The partner registry, loaded from reviewed ``partner_configs/*.yaml`` files."""
