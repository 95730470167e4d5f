"""The engine: random streams, the current-year nowcast, the paths, and the runs built on them."""
