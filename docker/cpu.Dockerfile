# taskvec on CPU hosts: JRE 17 and the built CLI; libtorch comes from the pytorch-native-cpu jar
# in the CLI's lib/ and is unpacked at build time, so nothing is downloaded at run time.
# Build the CLI first, then, from the repository root:
#   mvn -B -DskipTests package
#   docker build -f docker/cpu.Dockerfile --build-arg TASKVEC_COMMIT="$(git rev-parse HEAD)" -t taskvec-cpu .
# BASE: any image with a Java 17 runtime on PATH and useradd (Debian or Ubuntu based).
ARG BASE=eclipse-temurin:17-jre-jammy
FROM ${BASE}

# the commit goes into every work item's key: workers of one run must be built from the same one
ARG TASKVEC_COMMIT=unknown
ENV TASKVEC_PREBUILT=1 \
    TASKVEC_HOME=/var/lib/taskvec \
    DJL_CACHE_DIR=/opt/taskvec/djl \
    HF_HOME=/var/cache/huggingface \
    TASKVEC_JAVA_OPTS="-Xmx8g -Dtaskvec.codeVersion=0.1.0+${TASKVEC_COMMIT}"

WORKDIR /opt/taskvec
COPY taskvec ./taskvec
COPY modules/cli/target/taskvec-cli.jar modules/cli/target/taskvec-cli.jar
COPY modules/cli/target/lib/ modules/cli/target/lib/
COPY workflows/ workflows/
COPY data/ data/

# one unprivileged user; its home (the database password, the embedded server) is private to it
RUN useradd --uid 1000 --create-home --shell /bin/sh taskvec \
    && mkdir -p /var/lib/taskvec /var/cache/huggingface /opt/taskvec/reports /opt/taskvec/djl \
    && chown taskvec /var/lib/taskvec /var/cache/huggingface /opt/taskvec/reports /opt/taskvec/djl \
    && chmod 700 /var/lib/taskvec

USER taskvec
# unpack libtorch now (from the jar), not in every container
RUN ./taskvec model info data/organism > /dev/null

VOLUME ["/var/lib/taskvec", "/var/cache/huggingface", "/opt/taskvec/reports"]
ENTRYPOINT ["/opt/taskvec/taskvec"]
CMD ["--help"]
