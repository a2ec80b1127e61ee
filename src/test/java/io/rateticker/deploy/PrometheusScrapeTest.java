package io.rateticker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Tool;

/**
 * A real Prometheus (Debian's), on loopback, scrapes the running service as job rate-ticker, and its query API
 * returns ticker_rate for all five currencies.
 */
@QuarkusTest
class PrometheusScrapeTest {

    @TestHTTPResource("/")
    URL service;

    @Test
    void prometheusScrapesEveryRate() throws Exception {
        Path prometheusBinary = Tool.PROMETHEUS.require();

        Path dir = Files.createTempDirectory("rate-ticker-prometheus");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: rate-ticker
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["%s:%d"]
                """.formatted(service.getHost(), service.getPort()));
        List<String> command = new ArrayList<>(List.of(prometheusBinary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        Process prometheus = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String query = "http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode("ticker_rate{job=\"rate-ticker\"}", StandardCharsets.UTF_8);
            JsonNode result = Awaitility.await("ticker_rate in Prometheus; see " + dir.resolve("prometheus.log"))
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class) // Prometheus is still starting
                    .until(() -> {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(query)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() == 200
                                ? new ObjectMapper().readTree(response.body()).at("/data/result") : null;
                    }, found -> found != null && found.size() == 5);
            assertThat(result).as("ticker_rate in Prometheus; see %s", dir.resolve("prometheus.log")).isNotNull();
            List<String> currencies = new ArrayList<>();
            result.forEach(series -> currencies.add(series.at("/metric/currency").asText()));
            assertThat(currencies).containsExactlyInAnyOrder("KGS", "KZT", "TJS", "UZS", "TMT");
            result.forEach(series -> assertThat(Double.parseDouble(series.at("/value/1").asText())).isPositive());
        } finally {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }
}
