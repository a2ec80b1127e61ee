package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/run.sh} as the image and README use it: {@code --train} makes an AOT cache from a workload of the
 * hot paths (which must all answer), and the launcher starts the service from that cache. The copy of the application
 * and its cache (about 140 MB) are removed after a pass, kept with the logs after a failure.
 */
class LauncherIT {

    @Test
    void trainingMakesAnAotCacheThatTheLauncherStartsFrom(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        Path app = dir.resolve("quarkus-app");
        copy(PackagedApp.appDir(), app);
        Files.deleteIfExists(app.resolve("app.aot"));

        ProcessBuilder training = new ProcessBuilder("bash", "scripts/run.sh", "--train")
                .redirectErrorStream(true).redirectOutput(dir.resolve("train.log").toFile());
        training.environment().putAll(PackagedApp.launcherEnvironment(app));
        training.environment().put("TRAIN_PORT", String.valueOf(PackagedApp.freePort()));
        Process process = training.start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly); // the training JVM, not left running
            process.destroyForcibly();
        }
        assertThat(process.isAlive()).as("training ended within 6 minutes").isFalse();
        assertThat(process.exitValue()).as("training's exit status; see " + dir.resolve("train.log")).isZero();
        assertThat(app.resolve("app.aot")).isNotEmptyFile();

        // -XX:AOTMode=on: the JVM refuses to start unless it can use the cache the launcher names.
        try (PackagedApp launched = new PackagedApp(dir, "jdbc:h2:mem:launcher").throughLauncher(app)
                .withJvmOptions("-XX:AOTMode=on")) {
            launched.start();
            launched.api().get("/api/v1/rates").then().statusCode(200)
                    .body("rates.currency", equalTo(List.of("KGS", "KZT", "TJS", "UZS", "TMT")));
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
