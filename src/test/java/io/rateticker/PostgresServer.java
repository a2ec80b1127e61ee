package io.rateticker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of this test's own, from Debian's {@code postgresql} package (which .ci/run installs): a
 * throwaway cluster on a free loopback port, which a test can stop and start again. PostgreSQL refuses to run as
 * root, so as root (CI) it runs as the {@code postgres} user. Without the package the test is skipped ({@link Tool}).
 * One server serves every test of a run (each test takes a database of its own); it is removed when the run ends.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean root;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    /** The server of this test run, started on first use (and running, if a test stopped it). */
    public static synchronized PostgresServer shared() throws Exception {
        if (shared == null) {
            shared = start();
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    // the run is over; a leftover temporary directory is all that can remain
                }
            }));
        }
        return shared;
    }

    /** Creates and starts a new cluster; aborts the test (fails it under CI=true) when PostgreSQL is not installed. */
    private static PostgresServer start() throws Exception {
        Path bin = Tool.POSTGRESQL.require();
        Path dir = Files.createTempDirectory("rate-ticker-pg");
        PostgresServer server = new PostgresServer(bin, dir, PackagedApp.freePort());
        if (server.root) {
            run(List.of("chown", USER + ":", dir.toString()));
        }
        server.pg("initdb", "-D", server.data(), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        server.startAgain();
        return server;
    }

    /** Starts the (stopped) server and waits until it accepts connections. */
    public void startAgain() throws Exception {
        pg("pg_ctl", "-D", data(), "-l", dir.resolve("postgresql.log").toString(), "-w", "-t", "60",
                "-o", "-h 127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start");
    }

    /** Stops it the way an operator restarting it does: running sessions are ended, then it shuts down cleanly. */
    public void stop() throws Exception {
        pg("pg_ctl", "-D", data(), "-m", "fast", "-w", "stop");
    }

    /** A new empty database on this server; returns its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "ticker_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private void pg(String program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", USER, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
