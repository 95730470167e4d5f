"""Plot functions: they draw on Axes and return them; they never compute statistics or save."""
