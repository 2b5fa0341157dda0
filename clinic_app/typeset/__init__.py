"""Unicode text laid out for reportlab: embedded fonts with per-run fallback, the bidi
algorithm and HarfBuzz shaping, and word wrapping. Below `pdf` (generated pages) and
`intake` (plain-text evidence drawn as pages), so both draw text the same way; it
imports neither, nor anything above them."""
