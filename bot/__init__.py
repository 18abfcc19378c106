"""PMO Assistant: bot layer."""
