# The innograph API (and CLI) in a container; docker-compose.yml points it at Neo4j.
# the Python the test suite runs on (3.11); Debian bookworm, glibc 2.36 (LadybugDB wheels need 2.28)
FROM python:3.11-slim

# neo4j-speedups: the driver's Rust extension (3-10x faster result decoding); EXTRAS= to omit
ARG EXTRAS=neo4j-speedups
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . .
RUN pip install ".${EXTRAS:+[$EXTRAS]}" \
    && useradd --create-home --uid 10001 innograph \
    && install -d -o innograph -g innograph /var/lib/innograph

USER innograph
ENV INNOGRAPH_HOST=0.0.0.0 \
    INNOGRAPH_PORT=8000 \
    INNOGRAPH_SAMPLE_DIR=/app/data/wenzhou
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=10s --start-period=20s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=5)"]
CMD ["innograph", "serve"]
