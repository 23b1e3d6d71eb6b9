# EcoMap application image: the `ecomap` CLI, the HTTP API and the explorer page.
#
# The project is installed in editable mode from /app, so the package keeps its repository
# layout: app/store/queries.py loads its Cypher statements from /app/cypher, the folder next to
# the `app` package (a wheel, as `pip install .` builds, carries them as app/cypher/ instead).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 ecomap \
    && useradd --system --uid 10001 --gid ecomap --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin ecomap

WORKDIR /app
COPY pyproject.toml requirements.lock README.md LICENSE ./
COPY app/ app/
COPY graph_analytics/ graph_analytics/
COPY cypher/ cypher/
RUN pip install --no-cache-dir -c requirements.lock -e . \
    && mkdir -p /data \
    && chown ecomap:ecomap /data

# The embedded (LadybugDB) store lives in the /data volume; with ECOMAP_BACKEND=neo4j it is unused.
ENV ECOMAP_DB=/data/ecomap.lbug
VOLUME ["/data"]

USER ecomap
EXPOSE 8000

# slim has no curl: ask the API's health endpoint with the standard library.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]

CMD ["ecomap", "serve", "--host", "0.0.0.0", "--port", "8000"]
