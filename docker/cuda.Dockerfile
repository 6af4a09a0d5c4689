# taskvec on NVIDIA GPU hosts: JRE 17, the built CLI and libtorch 2.7.1 for CUDA 12.8, fetched
# here at build time (nothing is downloaded at run time). The host needs the NVIDIA driver and
# container toolkit. Build the CLI first, then, from the repository root:
#   mvn -B -DskipTests package
#   docker build -f docker/cuda.Dockerfile --build-arg TASKVEC_COMMIT="$(git rev-parse HEAD)" -t taskvec-cuda .
ARG CUDA_BASE=nvidia/cuda:12.8.1-base-ubuntu22.04

FROM ${CUDA_BASE} AS libtorch
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
# optional: the archive's SHA-256, checked when given
ARG LIBTORCH_SHA256=""
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unzip \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL -o /tmp/libtorch.zip "${LIBTORCH_URL}" \
    && if [ -n "${LIBTORCH_SHA256}" ]; then echo "${LIBTORCH_SHA256}  /tmp/libtorch.zip" | sha256sum -c -; fi \
    && unzip -q /tmp/libtorch.zip -d /opt \
    && rm /tmp/libtorch.zip

FROM ${CUDA_BASE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
COPY --from=libtorch /opt/libtorch/lib /opt/libtorch/lib

# the commit goes into every work item's key: workers of one run must be built from the same one
ARG TASKVEC_COMMIT=unknown
# DJL takes libtorch from PYTORCH_LIBRARY_PATH; the pytorch-jni jar carries the cu128 bridge.
# Runs default to the GPU in float16.
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_FLAVOR=cu128 \
    PYTORCH_VERSION=2.7.1 \
    TASKVEC_DEVICE=cuda \
    TASKVEC_DTYPE=float16 \
    TASKVEC_PREBUILT=1 \
    TASKVEC_HOME=/var/lib/taskvec \
    DJL_CACHE_DIR=/var/lib/taskvec/djl \
    HF_HOME=/var/cache/huggingface \
    TASKVEC_JAVA_OPTS="-Xmx24g -Dtaskvec.codeVersion=0.1.0+${TASKVEC_COMMIT}"

WORKDIR /opt/taskvec
COPY taskvec ./taskvec
COPY modules/cli/target/taskvec-cli.jar modules/cli/target/taskvec-cli.jar
COPY modules/cli/target/lib/ modules/cli/target/lib/
COPY workflows/ workflows/
COPY data/ data/

RUN useradd --uid 1000 --create-home --shell /bin/sh taskvec \
    && mkdir -p /var/lib/taskvec /var/cache/huggingface /opt/taskvec/reports \
    && chown taskvec /var/lib/taskvec /var/cache/huggingface /opt/taskvec/reports \
    && chmod 700 /var/lib/taskvec

USER taskvec
VOLUME ["/var/lib/taskvec", "/var/cache/huggingface", "/opt/taskvec/reports"]
ENTRYPOINT ["/opt/taskvec/taskvec"]
CMD ["--help"]
