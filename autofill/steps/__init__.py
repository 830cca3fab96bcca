"""Step handlers: one per wizard step, each filling the fields the pack lists for it."""
