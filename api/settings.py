"""Settings, read once from the environment (and a `.env` file) here and passed down as plain values."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDERS = {"changeme", "change-me", "secret", "xxx", "todo", "placeholder", "your-token-here"}


class Settings(BaseSettings):
    """Every setting the product reads; each is documented in README.md (a test checks that)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(default=Path("./data"), alias="PMO_DATA_DIR")
    database_url: str | None = Field(default=None, alias="PMO_DATABASE_URL")
    chroma_url: str | None = Field(default=None, alias="PMO_CHROMA_URL")
    api_token: str | None = Field(default=None, alias="PMO_API_TOKEN")
    timezone: str = Field(default="America/Chicago", alias="PMO_TIMEZONE")
    today: date | None = Field(default=None, alias="PMO_TODAY")

    llm_provider: str | None = Field(default=None, alias="PMO_LLM_PROVIDER")
    llm_model: str | None = Field(default=None, alias="PMO_LLM_MODEL")
    llm_base_url: str | None = Field(default=None, alias="PMO_LLM_BASE_URL")
    llm_api_key: str | None = Field(default=None, alias="PMO_LLM_API_KEY")

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str | None = Field(default=None, alias="PMO_SLACK_API_URL")

    redact_phi: bool = Field(default=True, alias="PMO_REDACT_PHI")
    max_file_mb: float = Field(default=25.0, alias="PMO_MAX_FILE_MB")
    embedding_model: str | None = Field(default=None, alias="PMO_EMBEDDING_MODEL")
    undo_minutes: int = Field(default=15, alias="PMO_UNDO_MINUTES")
    pending_minutes: int = Field(default=60, alias="PMO_PENDING_MINUTES")
    log_json: bool = Field(default=False, alias="PMO_LOG_JSON")
    log_level: str = Field(default="INFO", alias="PMO_LOG_LEVEL")
    scheduler: bool = Field(default=True, alias="PMO_SCHEDULER")
    public_url: str | None = Field(default=None, alias="PMO_PUBLIC_URL")

    @field_validator("api_token", "slack_bot_token", "slack_signing_secret", "slack_app_token", "llm_api_key")
    @classmethod
    def _no_placeholder_secrets(cls, value: str | None) -> str | None:
        if value is not None and value.strip().lower() in PLACEHOLDERS:
            raise ValueError("is a placeholder; set a real secret or leave it unset")
        return value or None

    @field_validator("llm_provider")
    @classmethod
    def _known_provider(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip().lower()
        if value not in ("openai", "anthropic", "ollama"):
            raise ValueError("must be one of openai, anthropic, ollama")
        return value

    @model_validator(mode="after")
    def _valid_timezone(self) -> Settings:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"PMO_TIMEZONE {self.timezone!r} is not a known time zone") from exc
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'pmo.db').resolve()}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    def current_date(self) -> date:
        """Today in the workspace's time zone, or PMO_TODAY when set (evaluations fix it)."""
        return self.today or datetime.now(self.tz).date()
