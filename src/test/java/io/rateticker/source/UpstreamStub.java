package io.rateticker.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The six banks, as a WireMock server on loopback answering with the real specimens (unknown dates: 404). The
 * sources are pointed at it, enabled, unscheduled but for CBR, and backfill 60 days so that the specimens' dates
 * are covered.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {

    /** Injects the running stub into a test's field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    static final String[] SOURCES = { "nbkr", "nbk", "cbu", "nbt", "cbt", "cbr" };
    private static final Map<String, Object> SPECIMEN = Map.of("specimen", true);

    private WireMockServer server;
    private final UpstreamConnections connections = new UpstreamConnections();

    @Override
    public Map<String, String> start() {
        // A fixed port (found free now), so that a test can stop the server and start it again where it was.
        server = new WireMockServer(options().bindAddress("127.0.0.1").port(freePort()).jettyAcceptors(1)
                .networkTrafficListener(connections));
        server.start();
        stubSpecimens(server);
        String base = "http://127.0.0.1:" + server.port();
        Map<String, String> config = new HashMap<>();
        for (String source : SOURCES) {
            config.put("ticker.sources." + source + ".enabled", "true");
            config.put("ticker.sources." + source + ".schedule", "off");
        }
        config.put("ticker.sources.nbkr.url", base + "/nbkr/daily.xml");
        config.put("ticker.sources.nbk.url", base + "/nbk/get_rates.cfm");
        config.put("ticker.sources.cbu.url", base + "/cbu/json/");
        config.put("ticker.sources.nbt.url", base + "/nbt/export_xml.php");
        config.put("ticker.sources.cbt.url", base + "/cbt/kurs/");
        config.put("ticker.sources.cbr.url", base + "/cbr/XML_daily.asp");
        config.put("ticker.sources.backfill-days", "60");
        config.put("ticker.sources.backfill-rate", "1000"); // BackfillIT shows the polite pace
        // An open breaker stays open while a test looks at it, however busy the machine (SourcesTest then waits for
        // it to half-open instead of sleeping through the delay)
        config.put("ticker.sources.breaker-delay", "5s");
        // one real schedule, to see it registered in the bank's time zone (it may fire: the stub answers)
        config.put("ticker.sources.cbr.schedule", "0 0 12 ? * MON-FRI");
        return config;
    }

    /**
     * The banks as they answer when all is well: the specimens, and 404 for every other address (a date a bank
     * has not published), so that no request goes unmatched.
     */
    static void stubSpecimens(WireMockServer server) {
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)).withMetadata(SPECIMEN));
        serve(server, "/nbkr/daily.xml", "nbkr-daily.xml", "application/xml");
        serve(server, "/nbk/get_rates.cfm", "nbk-get-rates-2026-04-02.xml", "text/xml; charset=UTF-8");
        serve(server, "/nbk/get_rates.cfm?fdate=01.04.2026", "nbk-get-rates-2026-04-01.xml", "text/xml; charset=UTF-8");
        serve(server, "/nbk/get_rates.cfm?fdate=02.04.2026", "nbk-get-rates-2026-04-02.xml", "text/xml; charset=UTF-8");
        serve(server, "/cbu/json/", "cbu-all-2026-04-02.json", "application/json");
        serve(server, "/cbu/json/all/2026-04-01/", "cbu-all-2026-04-01.json", "application/json");
        serve(server, "/cbu/json/all/2026-04-02/", "cbu-all-2026-04-02.json", "application/json");
        serve(server, "/nbt/export_xml.php?date=2026-05-18&export=xmlout", "nbt-2026-05-18.xml", "text/xml;charset=UTF-8");
        serve(server, "/nbt/export_xml.php?date=2026-05-19&export=xmlout", "nbt-2026-05-19.xml", "text/xml;charset=UTF-8");
        serve(server, "/cbt/kurs/2026/20052026.xml", "cbt-20052026.xml", "application/xml");
        serve(server, "/cbt/kurs/2026/21052026.xml", "cbt-21052026.xml", "application/xml");
        serve(server, "/cbr/XML_daily.asp", "cbr-xml-daily-2026-04-25.xml", "text/xml; charset=windows-1251");
        serve(server, "/cbr/XML_daily.asp?date_req=25/04/2026", "cbr-xml-daily-2026-04-25.xml",
                "text/xml; charset=windows-1251");
    }

    private static void serve(WireMockServer server, String url, String specimen, String contentType) {
        server.stubFor(get(urlEqualTo(url)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", contentType).withBody(Specimens.bytes(specimen))).withMetadata(SPECIMEN));
    }

    /**
     * Back to the banks as they answer when all is well: every stub a test added is removed, and the requests are
     * forgotten. The specimens stay in place throughout, so that a fetch still running meets a bank, never a server
     * without stubs.
     */
    static void reset(WireMockServer server) {
        server.getStubMappings().stream()
                .filter(stub -> stub.getMetadata() == null || !stub.getMetadata().containsKey("specimen"))
                .forEach(server::removeStub);
        server.resetRequests();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Inject.class, WireMockServer.class));
        injector.injectIntoFields(connections,
                new TestInjector.AnnotatedAndMatchesType(Inject.class, UpstreamConnections.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
