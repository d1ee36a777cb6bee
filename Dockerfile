# Berth's container image: built on the official Swift image with the system
# libraries the C shim needs, run on a slim Debian with only their runtime
# parts. The Swift runtime is linked in (--static-swift-stdlib), so the
# runtime image needs no Swift.
#   docker build -t berth .
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libgrpc-dev libssl-dev libprotobuf-c-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# The dependencies first, so that a change to Berth's own code reuses their layer.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY bench ./bench
COPY Tests ./Tests
RUN swift build -c release --product berth --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/berth" /usr/local/bin/berth

FROM ${RUNTIME_IMAGE}
# libgrpc29 and libprotobuf-c1 for the C shim, libssl3 for CCipher, curl for the health check.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libgrpc29 libprotobuf-c1 libssl3 zlib1g ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/berth --create-home berth
COPY --from=build /usr/local/bin/berth /usr/local/bin/berth
USER berth
WORKDIR /var/lib/berth
EXPOSE 6443
# /readyz answers without a token, as kube-apiserver's does.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -skf https://127.0.0.1:6443/readyz >/dev/null || exit 1
ENTRYPOINT ["berth", "serve"]
CMD ["--data-dir", "/var/lib/berth"]
