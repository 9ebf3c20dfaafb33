# syntax=docker/dockerfile:1
#
# The bot as a static binary on distroless (no shell, no libc, no package manager), running as
# an unprivileged user with its database on the /data volume. Needs BuildKit (Docker 23+).
#
#   docker build -t interviewbot:1.2.3 \
#     --build-arg VERSION=1.2.3 \
#     --build-arg COMMIT="$(git rev-parse --short HEAD)" \
#     --build-arg DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
#
# Running it: deploy/docker-compose.yml, deploy/kubernetes/, deploy/BACKUP.md.
#
# Base images are pinned by tag. For reproducible builds, also pin the digest each tag points to
# today (`docker buildx imagetools inspect golang:1.26`), as in
#   FROM --platform=$BUILDPLATFORM golang:1.26@sha256:<digest> AS build
#   FROM gcr.io/distroless/static-debian12:nonroot@sha256:<digest>
# and let Renovate or Dependabot keep both current.

# The builder runs on the build machine's platform and cross-compiles, which for a CGO-free
# binary is only GOOS/GOARCH: `docker buildx build --platform linux/amd64,linux/arm64 .` is fast.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src

# Modules first, so a code change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download && go mod verify

COPY . .

# An image whose embedded question bank does not validate would never start: fail the build.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go run -trimpath ./bot check

ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ARG COMMIT=
ARG DATE=
# CGO_ENABLED=0: a static binary (pure-Go DNS resolver, no libc) that runs on distroless/static.
# -trimpath: no build-machine paths in the binary. -s -w: no symbol table or DWARF.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/bot ./bot

# The database folder, created here because the runtime image has no shell. It is copied owned
# by nonroot (65532), and Docker gives a new named volume mounted on /data the owner of the
# image's folder, so the bot can create its database there.
RUN mkdir -p /out/data


FROM gcr.io/distroless/static-debian12:nonroot

LABEL org.opencontainers.image.title="interviewbot" \
      org.opencontainers.image.description="Discord bot for interview practice" \
      org.opencontainers.image.source="https://github.com/interviewbot/interviewbot"

COPY --from=build /out/bot /bot
COPY --from=build --chown=65532:65532 /out/data /data

# One bbolt file holds all state. One process per file: run exactly one container per volume
# (per shard), and replace it stop-then-start. HTTP_ADDR serves /healthz, /readyz, /metrics and
# /backup; the last two are for operators only, so publish the port on localhost at most.
ENV DB_PATH=/data/interviewbot.db \
    HTTP_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080

# `bot healthcheck` asks http://127.0.0.1:8080/readyz (from HTTP_ADDR): 200 once the gateway is
# connected and the database answers. The HTTP server starts after the first gateway connect
# and command registration, hence the start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/bot", "healthcheck"]

# nonroot:nonroot, by number so that Kubernetes' runAsNonRoot can verify it without runAsUser.
USER 65532:65532
# The bot shuts down gracefully on SIGTERM within about 10 s; give it 30 s before SIGKILL
# (docker stop -t 30, compose stop_grace_period, Kubernetes terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/bot"]
