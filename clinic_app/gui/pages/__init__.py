"""Full pages of the window: first run, unlock, the desk and the matter workspace tabs."""
