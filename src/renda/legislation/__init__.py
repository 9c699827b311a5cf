"""Legislation: regulations' texts (parsed into articles), versions and their diffs."""
