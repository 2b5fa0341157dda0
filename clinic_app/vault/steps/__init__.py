"""Numbered schema steps. A released step is never edited: add a new one instead."""
