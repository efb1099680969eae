"""Fetching and parsing sources: plain Python, no Django. Bytes in, dataclasses out."""
