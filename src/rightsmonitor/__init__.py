"""Rights Monitor: commitments x evidence -> assessments -> publications."""

__version__ = "0.1.0"
