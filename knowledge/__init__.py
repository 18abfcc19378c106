"""PMO Assistant: knowledge layer."""
