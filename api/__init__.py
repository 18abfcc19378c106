"""PMO Assistant: api layer."""
