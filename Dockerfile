# syntax=docker/dockerfile:1
#
# errbridge's container image: a static binary on distroless, as nonroot.
#
#   docker build -t errbridge --build-arg VERSION=v0.1.0 .
#   docker run --rm -p 50051:50051 -p 8080:8080 errbridge
#
# Configure with ERRBRIDGE_* variables (see `errbridge serve --help`). The
# HEALTHCHECK follows ERRBRIDGE_LISTEN's port; with TLS, also set
# ERRBRIDGE_HEALTH_TLS_CA (and, for mTLS, ERRBRIDGE_HEALTH_TLS_CERT and
# ERRBRIDGE_HEALTH_TLS_KEY).

FROM golang:1.26 AS build
WORKDIR /src
# The module downloads get a layer of their own, kept while only sources change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=""
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" \
      -o /out/errbridge ./cmd/errbridge

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/errbridge /errbridge
USER nonroot
EXPOSE 50051 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/errbridge", "health"]
ENTRYPOINT ["/errbridge"]
CMD ["serve"]
