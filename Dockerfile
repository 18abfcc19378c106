# PMO Assistant: one image for every worker (API, dashboard, Slack HTTP mode, digest scheduler).
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    PMO_DATA_DIR=/data \
    PMO_LOG_JSON=true

WORKDIR /app

# CPU-only torch first (the default wheel pulls CUDA), then the app and its pinned dependencies.
COPY pyproject.toml README.md ./
COPY tools ./tools
COPY knowledge ./knowledge
COPY retrieval ./retrieval
COPY bot ./bot
COPY api ./api
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0" \
 && pip install . \
 && useradd --create-home --uid 10001 pmo \
 && mkdir -p /data && chown pmo:pmo /data

USER pmo
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

CMD ["pmo", "serve", "--host", "0.0.0.0", "--port", "8000"]
