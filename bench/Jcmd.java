import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the load clients (SseLoad, Soak) read of the server's JVM through jcmd; one copy, found by the source launcher
 * next to them (JEP 458), since two had drifted apart once.
 */
final class Jcmd {

    /** Every generation's used heap, not the metaspace: "generation" before Java 25, DefNew + Tenured or G1's heap. */
    private static final Pattern USED =
            Pattern.compile("(?:generation|heap|DefNew|Tenured)\\s+total [^\\n]*?used (\\d+)K");

    private Jcmd() {
    }

    /** The JVM's used heap right after a full GC; fails rather than report a figure it could not read. */
    static long heapAfterGcKb(long pid) throws IOException, InterruptedException {
        run("jcmd", String.valueOf(pid), "GC.run");
        String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
        Matcher m = USED.matcher(info);
        long used = -1;
        while (m.find()) {
            used = Math.max(used, 0) + Long.parseLong(m.group(1));
        }
        if (used < 0) {
            throw new IllegalStateException("no heap figure in jcmd GC.heap_info:\n" + info);
        }
        return used;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
