"""Tagging: who said what about which system, when. Plain Python, no Django."""
