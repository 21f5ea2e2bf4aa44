"""Readers: files in, facts out. They decide nothing (the checks do)."""
