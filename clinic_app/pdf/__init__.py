"""PDF generation and merging (reportlab, pypdf). Uses only `domain`; no Qt, no vault."""
