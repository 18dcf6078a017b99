"""Command-line jobs of the warehouse CDP that are not dbt models (load, generate, evaluate)."""

__version__ = "0.1.0"
