package io.rateticker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.formatters.PatternFormatter;

/** The log records, of every logger of this JVM, that match a filter, as lines, from {@link #start()} on. */
public final class LogCapture extends Handler implements AutoCloseable {

    private static final PatternFormatter LINE = new PatternFormatter("%p %c: %s");

    private final Predicate<LogRecord> filter;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Predicate<LogRecord> filter) {
        this.filter = filter;
    }

    public static LogCapture start(Predicate<LogRecord> filter) {
        LogCapture capture = new LogCapture(filter);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** {@code LEVEL logger: message}, formatted as the console shows it. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (filter.test(record)) {
            lines.add(LINE.format(record));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
