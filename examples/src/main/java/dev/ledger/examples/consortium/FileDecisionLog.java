package dev.ledger.examples.consortium;

import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.TxState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A coordinator's {@link DecisionLog} whose COMMIT decisions survive a crash: each is appended to a file, one
 * {@code COMMITTED <txid>} line, and forced to disk before {@link #decide} returns, so before any participant is
 * told. Aborts stay in memory: after a restart, a transaction with no record is aborted (presumed abort), and the
 * coordinator that could have decided otherwise is gone with the old process.
 *
 * <p>This is the one piece of a bank that is durable; its accounts are in memory (their durability is a later
 * work item). It lets a coordinating bank that crashed after deciding COMMIT give the right answer to the
 * participants holding the transaction in doubt once it is back.
 *
 * <p>Concurrency: {@code decide} is synchronized (it guards the channel's end and {@code broken}), so the first
 * decision for an id wins and a COMMIT is on disk before it is visible in {@code decisions}; {@code decision}
 * reads the concurrent map without the lock and so never reports a COMMIT that a crash could still lose. Commits
 * are forced one at a time: simple, and enough for an example (a busy coordinator would batch them).
 */
final class FileDecisionLog implements DecisionLog, AutoCloseable {
    private static final String COMMITTED = "COMMITTED ";

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TxState> decisions;
    private final int recovered;
    /** Set when a failed append could not be undone: the file's end is unknown, so no further commit is taken. */
    private boolean broken;

    private FileDecisionLog(Path file, FileChannel channel, Map<String, TxState> recoveredCommits) {
        this.file = file;
        this.channel = channel;
        this.decisions = new ConcurrentHashMap<>(recoveredCommits);
        this.recovered = recoveredCommits.size();
    }

    /**
     * Opens a log, creating the file if needed and reading the commits it holds. A last line left incomplete by a
     * crash is cut off: its decide never returned, so no participant was told of it.
     *
     * @param file the log file
     * @return the log
     * @throws IOException if the file cannot be read or written, or holds something else than decisions
     */
    static FileDecisionLog open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            byte[] bytes = Files.readAllBytes(file);
            int complete = bytes.length;
            while (complete > 0 && bytes[complete - 1] != '\n') {
                complete--;
            }
            Map<String, TxState> commits = new HashMap<>();
            for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(COMMITTED)) {
                    commits.put(line.substring(COMMITTED.length()), TxState.COMMITTED);
                } else if (!line.isEmpty()) {
                    throw new IOException(file + ": not a decision: '" + line + "'");
                }
            }
            channel.truncate(complete);
            channel.position(complete);
            return new FileDecisionLog(file, channel, commits);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public synchronized TxState decide(String txId, TxState decision) {
        if (!decision.isFinal()) {
            throw new IllegalArgumentException("a decision is COMMITTED or ABORTED, not " + decision);
        }
        TxState earlier = decisions.get(txId);
        if (earlier != null) {
            return earlier;
        }
        if (decision == TxState.COMMITTED) {
            append(COMMITTED + txId + "\n");
        }
        decisions.put(txId, decision);
        return decision;
    }

    @Override
    public Optional<TxState> decision(String txId) {
        return Optional.ofNullable(decisions.get(txId));
    }

    /** {@return the number of commits read from the file when it was opened} */
    int recovered() {
        return recovered;
    }

    /** {@return the log's file} */
    Path file() {
        return file;
    }

    /** Appends a line and forces it to disk; on failure, cuts the file back so no torn line stays before the next. */
    private void append(String line) {
        if (broken) {
            throw new IllegalStateException("the decision log " + file + " failed earlier and takes no commits");
        }
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        long end = -1;
        try {
            end = channel.position();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            undo(end);
            // Not recorded, so not decided: the coordinator fails this transfer and nobody commits it.
            throw new UncheckedIOException("cannot record the decision in " + file + ": " + e.getMessage(), e);
        }
    }

    private void undo(long end) {
        try {
            if (end < 0) {
                throw new IOException("the end of the file is unknown");
            }
            channel.truncate(end);
            channel.position(end);
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
