package dev.ledger.examples;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The record a client keeps of its transfers, one line each, {@code <seq> <from> <to> <amount> OK|FAILED}, written
 * as soon as the server has answered. The simulation reads these records back to check the server's books against
 * what the clients were told.
 *
 * <p>Not thread-safe: one client thread writes its own log.
 */
final class TransferLog implements Closeable {
    /** One transfer as the client saw it. */
    record Entry(long seq, String from, String to, long amount, boolean ok) {
        String line() {
            return seq + " " + from + " " + to + " " + amount + " " + (ok ? "OK" : "FAILED");
        }

        static Entry parse(String line) {
            String[] f = line.trim().split(" ");
            if (f.length != 5 || !(f[4].equals("OK") || f[4].equals("FAILED"))) {
                throw new IllegalArgumentException("not a transfer record: '" + line + "'");
            }
            return new Entry(Long.parseLong(f[0]), f[1], f[2], Long.parseLong(f[3]), f[4].equals("OK"));
        }
    }

    private final BufferedWriter out;

    private TransferLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens a log that writes to {@code file}, or one that keeps nothing when {@code file} is null. */
    static TransferLog open(Path file) {
        if (file == null) {
            return new TransferLog(null);
        }
        try {
            return new TransferLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transfer log " + file, e);
        }
    }

    /** Appends an entry and flushes it, so that a client killed right after leaves it behind. */
    void append(Entry entry) {
        if (out == null) {
            return;
        }
        try {
            out.write(entry.line());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transfer log", e);
        }
    }

    /** Reads every entry of a log file. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                entries.add(Entry.parse(line));
            }
        }
        return entries;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
