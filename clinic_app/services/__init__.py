"""Use cases over an unlocked vault, shared by the GUI and the command line."""
