"""The data: the bundled SBP series (the only reader of series files) and the timeline."""
