"""Computations: validated frames in, frames out (branch table, evolution, confidentiality, the
campaign's state, job-title matching). No file is read or written here."""
