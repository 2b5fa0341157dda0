"""Haven: an offline, encrypted case and evidence manager for legal clinics."""

__version__ = "0.1.0"
