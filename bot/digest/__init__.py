"""Weekly digests: build from the records and the week's audit trail, render, schedule, post."""

from bot.digest.build import build_digest
from bot.digest.heatmap import heatmap_png
from bot.digest.model import Digest
from bot.digest.render import render_blocks, render_text

__all__ = ["Digest", "build_digest", "heatmap_png", "render_blocks", "render_text"]
