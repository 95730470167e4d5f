"""Statistics of simulated paths: target gaps, quantiles and the typed summary."""
