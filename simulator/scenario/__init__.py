"""The scenario: its frozen schema, the registry of growth distributions, and the YAML loader."""
