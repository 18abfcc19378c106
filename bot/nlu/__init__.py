"""Built-in (no LLM) message understanding: text + context -> a contract tool call or a follow-up."""
