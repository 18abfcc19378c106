"""The optional chat model: built from plain settings values, never at import time."""

from __future__ import annotations

from typing import Any

from tools.errors import Invalid

DEFAULT_MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-sonnet-4-5", "ollama": "llama3.1"}


def make_chat_model(
    *,
    provider: str,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = 60.0,
    max_retries: int = 1,
) -> Any:
    """A LangChain chat model for `provider` (openai = any OpenAI-compatible endpoint, anthropic, ollama)."""
    provider = (provider or "").strip().lower()
    name = model or DEFAULT_MODELS.get(provider)
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        # Local OpenAI-compatible servers (vLLM, Ollama's /v1) take any key; the client insists on one.
        return ChatOpenAI(
            model=name, base_url=base_url, api_key=api_key or "no-key", timeout=timeout,
            max_retries=max_retries, temperature=0,
        )  # fmt: skip
    if provider == "anthropic":
        from langchain_anthropic import ChatAnthropic

        kwargs: dict[str, Any] = {
            "model": name,
            "timeout": timeout,
            "max_retries": max_retries,
            "temperature": 0,
        }
        if base_url:
            kwargs["base_url"] = base_url
        if api_key:
            kwargs["api_key"] = api_key
        return ChatAnthropic(**kwargs)
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=name, base_url=base_url, temperature=0, client_kwargs={"timeout": timeout})
    raise Invalid(f"PMO_LLM_PROVIDER {provider!r} is not one of openai, anthropic, ollama.")
