"""trademission: plan and run B2B business missions and brokerage events."""

__version__ = "0.1.0"
