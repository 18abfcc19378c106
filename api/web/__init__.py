"""The server-rendered, read-only web dashboard (Jinja2, no build step)."""

from api.web.routes import install_web

__all__ = ["install_web"]
