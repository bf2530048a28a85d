# syntax=docker/dockerfile:1
#
# errbridge's container image: a static binary on distroless, as nonroot.
#
#   docker build -t errbridge --build-arg VERSION=v0.1.0 .
#   docker run --rm -p 50051:50051 -p 8080:8080 errbridge
#
# With podman or buildah, add --format docker: the OCI image format has no
# HEALTHCHECK, and podman drops it otherwise.
#
# Configure with ERRBRIDGE_* variables (see `errbridge serve --help`). The
# HEALTHCHECK follows ERRBRIDGE_LISTEN's port; with TLS, also set
# ERRBRIDGE_HEALTH_TLS_CA (and, for mTLS, ERRBRIDGE_HEALTH_TLS_CERT and
# ERRBRIDGE_HEALTH_TLS_KEY).
#
# The base images are build arguments, for mirrors and offline builds; the
# defaults are the public images.
ARG GO_IMAGE=golang:1.26
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${GO_IMAGE} AS build
WORKDIR /src
# Where modules come from: unset, Go's defaults. An offline build passes
# e.g. GOPROXY=file:///goproxy with a module cache's cache/download there.
ARG GOPROXY
ARG GOSUMDB
# The module downloads get a layer of their own, kept while only sources change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=""
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" \
      -o /out/errbridge ./cmd/errbridge

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/errbridge /errbridge
# nonroot, by number: Kubernetes' runAsNonRoot can verify only a numeric user.
USER 65532:65532
EXPOSE 50051 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/errbridge", "health"]
ENTRYPOINT ["/errbridge"]
CMD ["serve"]
