package dev.ledger;

import dev.ledger.journal.internal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ids of the operations a bank applied under an id (transfers, multi-leg transfers, deposits, withdrawals),
 * newest {@code capacity} of them, so that an operation sent again under its id is answered as a repeat instead of
 * being applied twice. Only applied operations are remembered: a refused one changed nothing, and its id may be sent
 * again. An id names one operation whatever its kind: sent again as another kind, or with other accounts or
 * amounts, it is a conflict.
 *
 * <p>Concurrency: {@code byId} maps an id to one {@link Entry}; {@code putIfAbsent} decides which attempt stands for
 * the id, and that attempt runs holding the entry's monitor, from before it is published until it has applied or
 * given up, so a repeat that finds the entry waits on the monitor for the attempt's end. Lock order: an entry's
 * monitor, then account locks; a thread holds at most one published entry's monitor. An entry's {@code applied} and
 * the {@code remembered} queue change inside the transfer's write section, under its accounts' locks, so a
 * checkpoint, which holds every account's lock, sees exactly the ids whose records precede it. The oldest ids are
 * forgotten first, once more than {@code capacity} are remembered; a transfer sent again after its id was forgotten
 * is applied again.
 */
final class TransferIds {
    private final int capacity;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    /** The remembered entries, oldest first. Changed inside write sections and by recovery. */
    private final Queue<Entry> remembered = new ConcurrentLinkedQueue<>();
    /** The size of {@code remembered}, kept apart to stay O(1). */
    private final AtomicInteger size = new AtomicInteger();

    TransferIds(int capacity) {
        this.capacity = capacity;
    }

    /** One id: the attempt that owns it, then what was applied under it. */
    static final class Entry {
        final String id;
        /** The transfer applied under the id; null until then. Written in the write section, under its locks. */
        volatile JournalRecord applied;

        Entry(String id) {
            this.id = id;
        }

        /** {@return how a transfer with this content answers: a repeat, a conflict, or null if nothing applied} */
        synchronized TransferStatus answer(JournalRecord content) {
            JournalRecord done = applied;
            if (done == null) {
                return null; // its attempt was refused and forgot the id
            }
            return done.equals(content) ? TransferStatus.REPEATED : TransferStatus.ID_CONFLICT;
        }
    }

    /** Applies a transfer; its write section calls {@link #remember} if it applies. */
    interface Attempt {
        TransferStatus apply(Entry entry);
    }

    /**
     * Runs {@code attempt} unless a transfer with this id was applied before, in which case the answer is
     * {@link TransferStatus#REPEATED} or {@link TransferStatus#ID_CONFLICT}. Two calls with one id never both apply:
     * the second waits for the first to finish.
     */
    TransferStatus once(String id, JournalRecord content, Attempt attempt) {
        while (true) {
            Entry fresh = new Entry(id);
            synchronized (fresh) {
                Entry existing = byId.putIfAbsent(id, fresh);
                if (existing == null) {
                    try {
                        return attempt.apply(fresh);
                    } finally {
                        if (fresh.applied == null) {
                            byId.remove(id, fresh); // refused or failed: the id may be sent again
                        }
                    }
                }
                // fresh was never published: holding its monitor while waiting for existing's is harmless
                TransferStatus answer = existing.answer(content);
                if (answer != null) {
                    return answer;
                }
            }
        }
    }

    /** Records that {@code entry}'s transfer was applied. Runs in the write section, under its accounts' locks. */
    void remember(Entry entry, JournalRecord applied) {
        entry.applied = applied;
        remembered.add(entry);
        forgetBeyondCapacity();
    }

    /** Remembers an id recovery found in the journal or a checkpoint. */
    void restore(JournalRecord.Identified identified) {
        Entry entry = new Entry(identified.id());
        entry.applied = identified.applied();
        Entry replaced = byId.put(entry.id, entry);
        if (replaced != null) {
            remembered.remove(replaced);
            size.decrementAndGet();
        }
        remembered.add(entry);
        forgetBeyondCapacity();
    }

    /** {@return the remembered ids, oldest first} Call it holding every account's lock, as a checkpoint does. */
    List<JournalRecord.Identified> toRecords() {
        List<JournalRecord.Identified> records = new ArrayList<>(size.get());
        for (Entry entry : remembered) {
            records.add(new JournalRecord.Identified(entry.id, entry.applied));
        }
        return records;
    }

    /** {@return how many ids are remembered} */
    int size() {
        return size.get();
    }

    private void forgetBeyondCapacity() {
        if (size.incrementAndGet() > capacity) {
            Entry oldest = remembered.poll();
            if (oldest != null) {
                size.decrementAndGet();
                byId.remove(oldest.id, oldest);
            }
        }
    }
}
