# rate-ticker container image: built from source, run as a non-root user on a JRE.
#   docker build -t rate-ticker .
#   docker run -p 8080:8080 -p 127.0.0.1:9000:9000 -v rate-ticker-data:/data -e TICKER_ADMIN_TOKEN=change-me rate-ticker
# Built with the management interface: the public API, the widget and the demo page on 8080; the admin API, health
# and metrics on 9000, which only the operators and the monitoring should reach (k8s/base/networkpolicy.yaml).
# BUILD_IMAGE needs a JDK 25 and curl (the Maven wrapper fetches Maven); BASE_IMAGE a JRE 25, bash and GNU date.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG BASE_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# Dependencies in a layer of their own: it is rebuilt only when the pom changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q quarkus:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp -q package -DskipTests -Dquarkus.management.enabled=true

FROM ${BASE_IMAGE}
ARG VERSION=1.0.0-SNAPSHOT
LABEL org.opencontainers.image.title="rate-ticker" \
      org.opencontainers.image.description="Official KGS, KZT, TJS, UZS and TMT to USD rates as JSON, server-sent events and metrics" \
      org.opencontainers.image.source="https://github.com/rate-ticker/rate-ticker" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN (useradd --system --uid 10001 --gid 0 --no-create-home --home-dir /app app 2>/dev/null \
        || adduser -S -u 10001 -G root -H -h /app app) \
    && mkdir -p /data /app && chown 10001:0 /data && chmod 0770 /data
WORKDIR /app
# The quarkus-app layout in four layers, the libraries first: a code change rebuilds only the small ones.
COPY --from=build --chown=10001:0 /build/target/quarkus-app/lib/ /app/lib/
COPY --from=build --chown=10001:0 /build/target/quarkus-app/*.jar /app/
COPY --from=build --chown=10001:0 /build/target/quarkus-app/app/ /app/app/
COPY --from=build --chown=10001:0 /build/target/quarkus-app/quarkus/ /app/quarkus/
# The launcher with the JVM settings (scripts/run.sh), and the AOT cache (app.aot) from a training run of this very
# JVM and these jars on the hot paths: classes loaded and linked, methods profiled (docs/benchmarks.md).
COPY scripts/run.sh /app/run.sh
RUN APP_DIR=/app /app/run.sh --train
ENV LANG=C.UTF-8 \
    APP_DIR=/app \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_MANAGEMENT_HOST=0.0.0.0 \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:/data/ticker;WRITE_DELAY=0" \
    JAVA_OPTS=""
VOLUME /data
USER 10001
EXPOSE 8080 9000
# bash's /dev/tcp rather than curl, which JRE base images need not have.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/9000 && printf "GET /q/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["/app/run.sh"]
