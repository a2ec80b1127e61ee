package io.rateticker.deploy;

import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.rateticker.Metrics;
import io.rateticker.Tool;
import io.rateticker.config.TickerConfig;
import io.smallrye.config.ConfigMappings;

/**
 * What ships for operators matches the application: the rendered Kubernetes manifests (probe paths, ports,
 * configuration keys, security), the alert rules (promtool), and every metric the alerts and the dashboard use.
 * kubectl and promtool are needed ({@link Tool}).
 */
@QuarkusTest
class DeploymentTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path RULES = Path.of("k8s", "monitoring", "prometheusrule.yaml");
    private static final Path RULE_TESTS = Path.of("k8s", "monitoring", "alerts.test.yml");
    private static final Path DASHBOARD = Path.of("k8s", "monitoring", "rate-ticker-dashboard.json");

    /** Runs a tool with these arguments; the test is skipped (failed under CI=true) when it is not installed. */
    private static String run(Tool tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool.require().toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
        return output;
    }

    private static List<JsonNode> render(String... kustomize) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("kustomize"));
        arguments.addAll(List.of(kustomize));
        String yaml = run(Tool.KUBECTL, arguments.toArray(String[]::new));
        List<JsonNode> documents = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(yaml).forEachRemaining(node -> documents.add((JsonNode) node));
        return documents;
    }

    private static <T> T one(List<JsonNode> documents, String kind, Class<T> type) throws Exception {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as(kind).hasSize(1);
        return Serialization.jsonMapper().treeToValue(found.get(0), type);
    }

    @Test
    void theSingleOverlayRendersAndMatchesTheApplication() throws Exception {
        List<JsonNode> single = render("k8s/overlays/single");
        Deployment deployment = one(single, "Deployment", Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        // the production port (tests run on a random one), as the application and the image declare it
        Properties application = new Properties();
        application.load(Files.newBufferedReader(Path.of("src/main/resources/application.properties")));
        int port = Integer.parseInt(application.getProperty("quarkus.http.port"));
        int management = Integer.parseInt(application.getProperty("quarkus.management.port"));
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("EXPOSE " + port + " " + management)
                .contains("-Dquarkus.management.enabled=true").contains("/dev/tcp/127.0.0.1/" + management);
        assertThat(container.getPorts()).hasSize(2).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(port);
        }).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(p.getContainerPort()).isEqualTo(management);
        });
        // health is on the management interface in the image
        for (var probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
        }
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        for (String path : List.of(container.getStartupProbe().getHttpGet().getPath(),
                container.getLivenessProbe().getHttpGet().getPath(), container.getReadinessProbe().getHttpGet().getPath())) {
            when().get(path).then().statusCode(200);
        }
        assertThat(deployment.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "rate-ticker");

        // one replica on H2: Recreate, the data on a claim
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("data");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("rate-ticker-data");
            assertThat(v.getEmptyDir()).isNull();
        });
        assertThat(single).anyMatch(d -> "PersistentVolumeClaim".equals(d.path("kind").asText()));

        // hardened: non-root, read-only root with a writable /tmp, no privileges, default seccomp
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(container.getResources().getLimits()).containsKey("memory");

        Service service = one(single, "Service", Service.class);
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                .containsExactly("http", "management");

        Ingress ingress = one(single, "Ingress", Ingress.class);
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
        // the budget and the policy select exactly the application's pods
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        PodDisruptionBudget budget = one(single, "PodDisruptionBudget", PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getSelector().getMatchLabels()).containsKey("app.kubernetes.io/name");
        NetworkPolicy policy = one(single, "NetworkPolicy", NetworkPolicy.class);
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsKey("app.kubernetes.io/name");
        // the public port from anywhere; the management port only from the monitoring namespace and the operators
        assertThat(policy.getSpec().getIngress()).hasSize(2).anySatisfy(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
            assertThat(rule.getFrom()).isNullOrEmpty();
        }).anySatisfy(rule -> {
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("management"));
            assertThat(rule.getFrom()).hasSize(2).anySatisfy(peer -> assertThat(peer.getNamespaceSelector()
                    .getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
        });
    }

    @Test
    void theHaOverlayRunsThreeReplicasOnPostgresqlFromASecret() throws Exception {
        List<JsonNode> ha = render("k8s/overlays/ha");
        Deployment deployment = one(ha, "Deployment", Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("TICKER_DATABASE");
            assertThat(e.getValue()).isEqualTo("postgresql");
        });
        for (String name : List.of("TICKER_DATABASE_URL", "TICKER_DATABASE_USER", "TICKER_DATABASE_PASSWORD")) {
            assertThat(container.getEnv()).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo(name);
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("rate-ticker-database");
            });
        }
        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).hasSize(2);
        JsonNode hpa = ha.stream().filter(d -> "HorizontalPodAutoscaler".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(deployment.getMetadata().getName());
        // the try-out database is not one of the application's pods
        JsonNode database = ha.stream().filter(d -> "StatefulSet".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        NetworkPolicy policy = one(ha, "NetworkPolicy", NetworkPolicy.class);
        Map<String, String> databaseLabels = Serialization.jsonMapper()
                .convertValue(database.at("/spec/template/metadata/labels"), Map.class);
        assertThat(databaseLabels).doesNotContainEntry("app.kubernetes.io/component", "api");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "api");
    }

    @Test
    void everyConfigMapKeyIsATickerSettingOfTheApplication() throws Exception {
        ConfigMap config = one(render("k8s/overlays/single"), "ConfigMap", ConfigMap.class);
        Set<String> settings = new TreeSet<>();
        ConfigProvider.getConfig().getPropertyNames().forEach(name -> {
            if (name.startsWith("ticker.")) {
                settings.add(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        });
        // and the settings that have no value unless one is given (Optional ones)
        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(TickerConfig.class, "ticker")).keySet()
                .forEach(name -> settings.add(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")));
        List<String> tickerKeys = config.getData().keySet().stream().filter(k -> k.startsWith("TICKER_")).toList();
        assertThat(tickerKeys).hasSizeGreaterThan(10);
        assertThat(settings).containsAll(tickerKeys);
    }

    /** As a user or a GitOps tool applies it: no kustomize flag (the default load restrictor keeps to the directory). */
    @Test
    void monitoringRendersFromItsOwnDirectoryOnTheManagementPort() throws Exception {
        List<JsonNode> monitoring = render("k8s/monitoring");
        JsonNode serviceMonitor = monitoring.stream().filter(d -> "ServiceMonitor".equals(d.path("kind").asText()))
                .findFirst().orElseThrow();
        assertThat(serviceMonitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(serviceMonitor.at("/spec/endpoints/0/port").asText()).isEqualTo("management");
        Service service = one(render("k8s/overlays/single"), "Service", Service.class);
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("management"));
        JsonNode rule = monitoring.stream().filter(d -> "PrometheusRule".equals(d.path("kind").asText()))
                .findFirst().orElseThrow();
        assertThat(rule.at("/spec/groups")).isEqualTo(YAML.readTree(RULES.toFile()).at("/spec/groups"));
        JsonNode dashboard = monitoring.stream().filter(d -> "ConfigMap".equals(d.path("kind").asText()))
                .findFirst().orElseThrow();
        assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(new ObjectMapper().readTree(dashboard.at("/data/rate-ticker.json").asText()))
                .isEqualTo(new ObjectMapper().readTree(DASHBOARD.toFile()));
    }

    /** The PrometheusRule's spec is the rule file promtool checks and tests: the rules have one place. */
    @Test
    void alertRulesPassPromtoolAndItsUnitTests(@TempDir Path dir) throws Exception {
        Path alerts = dir.resolve("alerts.yml");
        YAML.writeValue(alerts.toFile(), YAML.readTree(RULES.toFile()).get("spec"));
        Path tests = Files.copy(RULE_TESTS, dir.resolve("alerts.test.yml"));
        assertThat(run(Tool.PROMTOOL, "check", "rules", alerts.toString())).contains("SUCCESS");
        assertThat(run(Tool.PROMTOOL, "test", "rules", tests.toString())).contains("SUCCESS");
    }

    @Test
    void theDashboardUsesItsDatasourceVariableAndNoFixedUid() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.at("/templating/list/0/name").asText()).isEqualTo("datasource");
        StreamSupport.stream(dashboard.get("panels").spliterator(), false).forEach(panel -> {
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            panel.get("targets").forEach(t -> assertThat(t.at("/datasource/uid").asText()).isEqualTo("${datasource}"));
        });
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardNameIsExported() throws Exception {
        when().get("/api/v1/rates").then().statusCode(200);
        when().get("/api/v1/convert?from=KGS&to=EUR&amount=1").then().statusCode(400);
        String scrape = Metrics.scrape();
        Set<String> used = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:ticker|http_server_requests|jvm)_[a-z_]+)\\b");
        for (String text : List.of(Files.readString(RULES), Files.readString(DASHBOARD))) {
            Matcher m = metric.matcher(text);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).contains("ticker_rate", "ticker_source_fetch_total", "http_server_requests_seconds_count");
        for (String name : used) {
            assertThat(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find())
                    .as("%s is exported", name).isTrue();
        }
    }
}
