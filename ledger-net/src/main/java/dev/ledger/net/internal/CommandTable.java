package dev.ledger.net.internal;

import dev.ledger.net.CommandHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.Set;

/**
 * Command handlers by name, looked up case-insensitively straight from a request's bytes, without making a
 * {@code String}.
 *
 * <p>Immutable once built, so connections share it without locks.
 */
public final class CommandTable {
    private final Entry[] slots;
    private final int mask;
    private final List<Entry> entries = new ArrayList<>();

    private CommandTable(Map<String, CommandHandler> handlers, Set<String> beforeAuth) {
        int size = Integer.highestOneBit(Math.max(4, handlers.size() * 4) - 1) << 1;
        slots = new Entry[size];
        mask = size - 1;
        handlers.forEach((name, handler) -> {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            int slot = hash(bytes, 0, bytes.length) & mask;
            while (slots[slot] != null) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = new Entry(bytes, handler, beforeAuth.contains(name));
            entries.add(slots[slot]);
        });
        entries.sort(Comparator.comparing(Entry::lowerName));
    }

    /** Returns every command, by name. */
    public List<Entry> entries() {
        return entries;
    }

    /** Returns the calls of every command so far. */
    public long totalCalls() {
        long total = 0;
        for (Entry entry : entries) {
            total += entry.stats.calls();
        }
        return total;
    }

    /**
     * Returns a builder.
     *
     * @param alwaysBeforeAuth the names of the commands a client may send before it has authenticated, whoever
     *     registers them
     * @return the builder
     */
    public static Builder builder(Set<String> alwaysBeforeAuth) {
        return new Builder(alwaysBeforeAuth);
    }

    /** Returns the entry whose name equals the bytes ignoring ASCII case, or null. */
    public Entry find(byte[] bytes, int offset, int length) {
        int slot = hash(bytes, offset, length) & mask;
        for (Entry entry; (entry = slots[slot]) != null; slot = (slot + 1) & mask) {
            if (entry.matches(bytes, offset, length)) {
                return entry;
            }
        }
        return null;
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = length;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + (bytes[i] | 0x20); // folds ASCII case; other collisions are told apart by matches()
        }
        return h ^ (h >>> 16);
    }

    /** A registered command. */
    public static final class Entry {
        private final byte[] name;
        private final CommandHandler handler;
        private final boolean beforeAuth;
        private final String lowerName;
        private final CommandStats stats = new CommandStats();

        Entry(byte[] name, CommandHandler handler, boolean beforeAuth) {
            this.name = name;
            this.handler = handler;
            this.beforeAuth = beforeAuth;
            this.lowerName = new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        }

        /** Returns the name in lower case, as Redis names commands in INFO and CLIENT LIST. */
        public String lowerName() {
            return lowerName;
        }

        /** Returns the command's figures. */
        public CommandStats stats() {
            return stats;
        }

        /** Returns the handler. */
        public CommandHandler handler() {
            return handler;
        }

        /** Returns whether a client may send this command before it has authenticated. */
        public boolean allowedBeforeAuth() {
            return beforeAuth;
        }

        boolean matches(byte[] bytes, int offset, int length) {
            if (length != name.length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                int b = bytes[offset + i];
                if (b >= 'a' && b <= 'z') {
                    b -= 'a' - 'A';
                }
                if (b != name[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Collects handlers; a later registration of a name replaces an earlier one. Not thread-safe. */
    public static final class Builder {
        private final Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        private final Set<String> alwaysBeforeAuth;
        private final Set<String> beforeAuth;

        private Builder(Set<String> alwaysBeforeAuth) {
            this.alwaysBeforeAuth = Set.copyOf(alwaysBeforeAuth);
            this.beforeAuth = new HashSet<>(alwaysBeforeAuth);
        }

        /**
         * Registers a handler.
         *
         * @param name the command name: printable ASCII, no spaces
         * @param handler the handler
         * @return this builder
         */
        public Builder add(String name, CommandHandler handler) {
            String key = checkName(name);
            handlers.put(key, Objects.requireNonNull(handler, "handler"));
            if (!alwaysBeforeAuth.contains(key)) {
                beforeAuth.remove(key); // a replacement does not inherit the built-in's checks
            }
            return this;
        }

        /**
         * Registers a handler that runs before the client has authenticated; the handler itself must refuse what
         * an unauthenticated client may not do. A later {@link #add} of the name takes the permission away.
         */
        public Builder addBeforeAuth(String name, CommandHandler handler) {
            add(name, handler);
            beforeAuth.add(checkName(name));
            return this;
        }

        /**
         * Replaces a registered handler with what {@code decorator} makes of it.
         *
         * @param name the command name
         * @param decorator makes the new handler from the registered one
         * @return this builder
         * @throws IllegalArgumentException if no handler has this name
         */
        public Builder wrap(String name, UnaryOperator<CommandHandler> decorator) {
            String key = checkName(name);
            CommandHandler registered = handlers.get(key);
            if (registered == null) {
                throw new IllegalArgumentException("no command '" + name + "' to wrap");
            }
            handlers.put(key, Objects.requireNonNull(decorator.apply(registered), "the decorated handler"));
            return this;
        }

        /** Builds the table. */
        public CommandTable build() {
            return new CommandTable(handlers, beforeAuth);
        }

        private static String checkName(String name) {
            if (name == null || name.isEmpty() || name.length() > 64
                    || !name.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                throw new IllegalArgumentException(
                        "a command name is 1 to 64 printable ASCII characters without spaces, got '" + name + "'");
            }
            return name.toUpperCase(Locale.ROOT);
        }
    }
}
