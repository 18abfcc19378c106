"""PMO Assistant: retrieval layer."""
