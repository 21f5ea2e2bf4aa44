"""Checks: facts in, messages (catalogue codes with their parameters) and checked frames out."""
