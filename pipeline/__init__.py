"""factcheck: check the factual claims in news articles against a curated, dated reference."""

__version__ = "0.1.0"
