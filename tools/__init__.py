"""PMO Assistant: tools layer."""
