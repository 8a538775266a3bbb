package dev.ledger;

import dev.ledger.journal.internal.JournalRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * <p>Concurrency: {@code byId} maps an id to one {@link Entry}; {@code putIfAbsent} decides which attempt owns the
 * id, and a repeat that finds an entry waits, on the entry's monitor, until its attempt has {@linkplain Entry#settle
 * settled} (applied, or given up and removed the entry). No monitor is held while an attempt runs. An attempt that
 * owns several ids (a linked chain) claims them in ascending order, and waits for other attempts' entries only while
 * claiming, never while holding account locks, so attempts cannot wait for one another in a cycle. An entry's
 * {@code applied} and the {@code remembered} queue change inside the operation's write section, under its accounts'
 * locks, so a checkpoint, which holds every account's lock, sees exactly the ids whose records precede it. The
 * oldest ids are forgotten first, once more than {@code capacity} are remembered; an operation sent again after its
 * id was forgotten is applied again.
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
        /** Whether the owning attempt has finished. Guarded by this entry's monitor. */
        private boolean settled;

        /** An entry its attempt owns, unsettled. */
        Entry(String id) {
            this.id = id;
        }

        /** An entry for an operation applied before, as recovery finds it: settled. */
        Entry(String id, JournalRecord applied) {
            this.id = id;
            this.applied = applied;
            this.settled = true;
        }

        /** Marks the owning attempt finished and wakes the repeats waiting for it. */
        synchronized void settle() {
            settled = true;
            notifyAll();
        }

        /**
         * Waits for the owning attempt to finish, uninterruptibly (an attempt is short: it holds account locks, not
         * the network), then {@return how an operation with this content answers: a repeat, a conflict, or null if
         * nothing was applied}
         */
        TransferStatus answer(JournalRecord content) {
            boolean interrupted = false;
            synchronized (this) {
                while (!settled) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
            Entry existing = byId.putIfAbsent(id, fresh);
            if (existing == null) {
                try {
                    return attempt.apply(fresh);
                } finally {
                    release(fresh);
                }
            }
            TransferStatus answer = existing.answer(content);
            if (answer != null) {
                return answer;
            }
        }
    }

    /** Applies a linked chain whose links own all their ids: its write section remembers every entry. */
    interface ChainAttempt {
        TransferStatus[] apply(Entry[] entries);
    }

    /**
     * Runs {@code attempt} if none of the ids was applied before; otherwise answers each link whose id was, with
     * {@link TransferStatus#REPEATED} or {@link TransferStatus#ID_CONFLICT}, and leaves the others null.
     *
     * @param ids each link's id, or null for a link without one; distinct
     * @param contents each link's operation, as the journal records it
     * @param attempt what applies the chain, given each link's entry (null for a link without an id)
     * @return the attempt's statuses, or the answers
     */
    TransferStatus[] onceAll(String[] ids, JournalRecord[] contents, ChainAttempt attempt) {
        Integer[] order = new Integer[ids.length];
        int withIds = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != null) {
                order[withIds++] = i;
            }
        }
        Arrays.sort(order, 0, withIds, Comparator.comparing(i -> ids[i]));
        Entry[] entries = new Entry[ids.length];
        TransferStatus[] answers = new TransferStatus[ids.length];
        boolean answered = false;
        try {
            for (int k = 0; k < withIds; k++) {
                int link = order[k];
                while (entries[link] == null && answers[link] == null) {
                    Entry fresh = new Entry(ids[link]);
                    Entry existing = byId.putIfAbsent(ids[link], fresh);
                    if (existing == null) {
                        entries[link] = fresh;
                    } else {
                        answers[link] = existing.answer(contents[link]);
                    }
                }
                answered |= answers[link] != null;
            }
            return answered ? answers : attempt.apply(entries);
        } finally {
            for (Entry entry : entries) {
                if (entry != null) {
                    release(entry);
                }
            }
        }
    }

    /** Ends an attempt that owned {@code entry}: an id whose operation was refused may be sent again. */
    private void release(Entry entry) {
        if (entry.applied == null) {
            byId.remove(entry.id, entry);
        }
        entry.settle();
    }

    /** Records that {@code entry}'s transfer was applied. Runs in the write section, under its accounts' locks. */
    void remember(Entry entry, JournalRecord applied) {
        entry.applied = applied;
        remembered.add(entry);
        forgetBeyondCapacity();
    }

    /** Remembers an id recovery found in the journal or a checkpoint. */
    void restore(JournalRecord.Identified identified) {
        Entry entry = new Entry(identified.id(), identified.applied());
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
