package dev.ledger.net.internal;

import dev.ledger.Bank;
import dev.ledger.net.Command;
import dev.ledger.net.CommandException;
import dev.ledger.net.CommandHandler;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The commands that Redis clients send on their own, at connect or for tools: {@code AUTH [username] password},
 * {@code HELLO}, {@code CLIENT}, {@code SELECT}, {@code TIME}, {@code DBSIZE}, {@code COMMAND}, {@code CONFIG GET}
 * and {@code INFO}, answered as Redis 7 answers them where the bank has an equivalent, and honestly where it has
 * none. Every client works with its default settings: RESP3, a user name, a name and library set at connect.
 *
 * <p>Stateless apart from the bank, which is thread-safe: one instance serves every connection.
 */
public final class ServerCommands {
    /** The Redis version whose replies these imitate, for clients that look at the version. */
    static final String COMPATIBLE_VERSION = "7.0.0";
    private static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);
    private static final String NOAUTH_HELLO = "HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";

    private final Bank bank;
    private final byte[] password;
    private final Persistence persistence;
    private final Info info;

    private ServerCommands(Bank bank, byte[] password, Persistence persistence) {
        this.bank = bank;
        this.password = password;
        this.persistence = persistence;
        this.info = new Info(bank, persistence);
    }

    /**
     * Returns the handlers of the commands Redis clients send on their own. Each handler runs once the request's
     * number of arguments is checked against its {@link Command}.
     *
     * @param bank the bank served
     * @param password the password's bytes, or null if none is set
     * @param persistence what INFO and CONFIG tell of the bank's journal
     * @return the handlers by command
     */
    public static Map<Command, CommandHandler> handlers(Bank bank, byte[] password, Persistence persistence) {
        ServerCommands commands = new ServerCommands(bank, password, persistence);
        Map<Command, CommandHandler> handlers = new EnumMap<>(Command.class);
        handlers.put(Command.AUTH, commands::auth);
        handlers.put(Command.HELLO, commands::hello);
        handlers.put(Command.CLIENT, ServerCommands::client);
        handlers.put(Command.SELECT, ServerCommands::select);
        handlers.put(Command.TIME, ServerCommands::time);
        handlers.put(Command.DBSIZE, commands::dbSize);
        handlers.put(Command.COMMAND, ServerCommands::command);
        handlers.put(Command.CONFIG, commands::config);
        handlers.put(Command.INFO, commands.info::info);
        return handlers;
    }

    /** {@code AUTH password}, or {@code AUTH username password} with the one user, {@code default}. */
    private void auth(Request request, Reply reply) {
        Connection connection = (Connection) request.session();
        if (request.argumentCount() == 2) {
            authenticate(connection, request.argumentBytes(0), request.argumentBytes(1));
        } else if (password == null) {
            throw new CommandException("AUTH needs no password: none is set");
        } else if (!connection.authenticate(request.argumentBytes(0))) {
            throw new CommandException("invalid password");
        }
        reply.ok();
    }

    /** As Redis without ACLs: the user {@code default}, with any password if none is set. */
    private void authenticate(Connection connection, byte[] user, byte[] pass) {
        boolean right = Arrays.equals(user, DEFAULT_USER)
                && (password == null || MessageDigest.isEqual(pass, password));
        if (!right) {
            throw new CommandException("WRONGPASS", "invalid username-password pair or user is disabled.");
        }
        if (password != null) {
            connection.authenticate(pass);
        }
    }

    /** {@code HELLO [protover [AUTH username password] [SETNAME name]]}: checks all, then changes all or nothing. */
    private void hello(Request request, Reply reply) {
        Connection connection = (Connection) request.session();
        int n = request.argumentCount();
        int protocol = connection.client().protocol();
        if (n >= 1) {
            long version;
            try {
                version = request.longArgument(0, "protocol version");
            } catch (CommandException e) {
                throw new CommandException("Protocol version is not an integer or out of range");
            }
            if (version != 2 && version != 3) {
                throw new CommandException("NOPROTO", "unsupported protocol version");
            }
            protocol = (int) version;
        }
        String name = null;
        int auth = -1;
        for (int i = 1; i < n; i++) {
            String option = request.argument(i);
            int more = n - 1 - i;
            if (option.equalsIgnoreCase("AUTH") && more >= 2) {
                auth = i + 1;
                i += 2;
            } else if (option.equalsIgnoreCase("SETNAME") && more >= 1) {
                name = clientName(request.argument(++i));
            } else {
                throw new CommandException("Syntax error in HELLO option '" + Text.printable(option) + "'");
            }
        }
        if (auth > 0) { // last, once the rest is known to be valid
            authenticate(connection, request.argumentBytes(auth), request.argumentBytes(auth + 1));
        }
        if (!connection.authenticated()) {
            throw new CommandException("NOAUTH", NOAUTH_HELLO);
        }
        if (name != null) {
            connection.client().name(name);
        }
        connection.client().protocol(protocol);
        reply.map(7);
        reply.bulk("server");
        reply.bulk("ledger");
        reply.bulk("version");
        reply.bulk(COMPATIBLE_VERSION);
        reply.bulk("proto");
        reply.integer(protocol);
        reply.bulk("id");
        reply.integer(connection.id());
        reply.bulk("mode");
        reply.bulk("standalone");
        reply.bulk("role");
        reply.bulk("master");
        reply.bulk("modules");
        reply.array(0);
    }

    /** {@code CLIENT subcommand ...}; before authentication only {@code SETINFO}, which clients send at connect. */
    private static void client(Request request, Reply reply) {
        Connection connection = (Connection) request.session();
        ClientInfo client = connection.client();
        String sub = request.argument(0).toUpperCase(Locale.ROOT);
        if (!connection.authenticated() && !sub.equals("SETINFO")) {
            throw new CommandException("NOAUTH", "Authentication required.");
        }
        switch (sub) {
            case "ID" -> {
                requireSub(request, "id", 1);
                reply.integer(connection.id());
            }
            case "SETNAME" -> {
                requireSub(request, "setname", 2);
                client.name(clientName(request.argument(1)));
                reply.ok();
            }
            case "GETNAME" -> {
                requireSub(request, "getname", 1);
                if (client.name().isEmpty()) {
                    reply.nullBulk();
                } else {
                    reply.bulk(client.name());
                }
            }
            case "INFO" -> {
                requireSub(request, "info", 1);
                text(connection, describe(connection) + "\n");
            }
            case "LIST" -> {
                requireSub(request, "list", 1);
                StringBuilder list = new StringBuilder();
                List<Connection> all = new ArrayList<>(connection.settings().stats().connections());
                all.sort((a, b) -> Long.compare(a.id(), b.id()));
                for (Connection each : all) {
                    list.append(describe(each)).append('\n');
                }
                text(connection, list.toString());
            }
            case "SETINFO" -> {
                requireSub(request, "setinfo", 3);
                String value = request.argument(2);
                if (!value.chars().allMatch(c -> c > ' ' && c <= '~')) {
                    throw new CommandException("lib-name and lib-ver cannot contain spaces, newlines or special"
                            + " characters.");
                }
                switch (request.argument(1).toUpperCase(Locale.ROOT)) {
                    case "LIB-NAME" -> client.libName(value);
                    case "LIB-VER" -> client.libVersion(value);
                    default -> throw new CommandException(
                            "Unrecognized option '" + Text.printable(request.argument(1)) + "'");
                }
                reply.ok();
            }
            case "NO-EVICT", "NO-TOUCH" -> { // nothing is evicted, nothing tracks access: both are no-ops
                requireSub(request, sub.toLowerCase(Locale.ROOT), 2);
                String on = request.argument(1).toUpperCase(Locale.ROOT);
                if (!on.equals("ON") && !on.equals("OFF")) {
                    throw new CommandException("syntax error");
                }
                reply.ok();
            }
            default -> throw new CommandException(
                    "unknown subcommand '" + Text.printable(request.argument(0)) + "'. Try CLIENT HELP.");
        }
    }

    /** One line of CLIENT LIST, with Redis's fields that mean something here. */
    private static String describe(Connection connection) {
        ClientInfo client = connection.client();
        long now = System.currentTimeMillis();
        long idleNanos = System.nanoTime() - connection.lastActive();
        return "id=" + connection.id()
                + " addr=" + address(connection.remoteAddress())
                + " laddr=" + address(connection.localAddress())
                + " name=" + client.name()
                + " age=" + Math.max(0, (now - client.createdMillis()) / 1000)
                + " idle=" + Math.max(0, idleNanos / 1_000_000_000L)
                + " flags=N db=0 sub=0 psub=0 ssub=0 multi=-1"
                + " cmd=" + client.lastCommand()
                + " user=default"
                + " lib-name=" + client.libName()
                + " lib-ver=" + client.libVersion()
                + " resp=" + client.protocol();
    }

    private static String address(InetSocketAddress address) {
        if (address == null) {
            return "?:0";
        }
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host + ":" + address.getPort();
    }

    /** {@code SELECT index}: the bank is one keyspace, database 0. */
    private static void select(Request request, Reply reply) {
        long index;
        try {
            index = request.longArgument(0, "index");
        } catch (CommandException e) {
            throw new CommandException("value is not an integer or out of range");
        }
        if (index != 0) {
            throw new CommandException("DB index is out of range: this server has one database, 0");
        }
        reply.ok();
    }

    /** {@code TIME}: seconds and microseconds since the epoch, as two bulk strings. */
    private static void time(Request request, Reply reply) {
        Instant now = Instant.now();
        reply.array(2);
        reply.bulk(Long.toString(now.getEpochSecond()));
        reply.bulk(Long.toString(now.getNano() / 1000));
    }

    /** {@code DBSIZE}: the number of accounts. */
    private void dbSize(Request request, Reply reply) {
        reply.integer(bank.size());
    }

    /**
     * {@code COMMAND [COUNT | LIST | INFO name... | DOCS name...]}. The commands take variable arguments as far as
     * tools can tell (arity -1) and name no keys; {@code DOCS} has no documentation to give, an empty map.
     */
    private static void command(Request request, Reply reply) {
        Connection connection = (Connection) request.session();
        List<CommandTable.Entry> entries = connection.settings().commands().entries();
        if (request.argumentCount() == 0) {
            reply.array(entries.size());
            entries.forEach(entry -> commandInfo(entry.lowerName(), reply));
            return;
        }
        String sub = request.argument(0).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "COUNT" -> {
                requireSub(request, "count", 1);
                reply.integer(entries.size());
            }
            case "LIST" -> {
                requireSub(request, "list", 1);
                reply.array(entries.size());
                entries.forEach(entry -> reply.bulk(entry.lowerName()));
            }
            case "INFO" -> {
                reply.array(request.argumentCount() - 1);
                for (int i = 1; i < request.argumentCount(); i++) {
                    byte[] name = request.argumentBytes(i);
                    CommandTable.Entry entry = connection.settings().commands().find(name, 0, name.length);
                    if (entry == null) {
                        reply.nullBulk();
                    } else {
                        commandInfo(entry.lowerName(), reply);
                    }
                }
            }
            case "DOCS" -> reply.map(0);
            default -> throw new CommandException(
                    "unknown subcommand '" + Text.printable(request.argument(0)) + "'. Try COMMAND HELP.");
        }
    }

    /** Redis 7's ten fields: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands. */
    private static void commandInfo(String name, Reply reply) {
        reply.array(10);
        reply.bulk(name);
        reply.integer(-1);
        reply.array(0);
        reply.integer(0);
        reply.integer(0);
        reply.integer(0);
        reply.array(0);
        reply.array(0);
        reply.array(0);
        reply.array(0);
    }

    /** {@code CONFIG GET pattern...}: the few settings tools ask for (redis-benchmark: save, appendonly). */
    private void config(Request request, Reply reply) {
        if (!request.argument(0).equalsIgnoreCase("GET")) {
            throw new CommandException("unknown subcommand '" + Text.printable(request.argument(0))
                    + "'. Try CONFIG HELP.");
        }
        requireSub(request, "get", 2, Integer.MAX_VALUE);
        Connection connection = (Connection) request.session();
        String[][] settings = {
                {"save", ""}, // no snapshots: the journal, if any, is the persistence
                {"appendonly", persistence.journaled() ? "yes" : "no"},
                {"databases", "1"},
                {"port", Integer.toString(connection.settings().stats().port())},
        };
        List<String[]> matched = new ArrayList<>();
        for (String[] setting : settings) {
            for (int i = 1; i < request.argumentCount(); i++) {
                if (glob(request.argument(i)).matcher(setting[0]).matches()) {
                    matched.add(setting);
                    break;
                }
            }
        }
        reply.map(matched.size());
        for (String[] setting : matched) {
            reply.bulk(setting[0]);
            reply.bulk(setting[1]);
        }
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Sends text as Redis 7 does: a verbatim string in RESP3, a bulk string in RESP2. */
    static void text(Connection connection, String text) {
        if (connection.client().protocol() == 3) {
            connection.output().verbatim("txt", text);
        } else {
            connection.output().bulk(text);
        }
    }

    private static String clientName(String name) {
        if (!name.chars().allMatch(c -> c > ' ' && c <= '~')) {
            throw new CommandException("Client names cannot contain spaces, newlines or special characters.");
        }
        return name;
    }

    /** Checks a subcommand's arguments, the subcommand included, as Redis names them: {@code 'client|setname'}. */
    private static void requireSub(Request request, String sub, int count) {
        requireSub(request, sub, count, count);
    }

    private static void requireSub(Request request, String sub, int min, int max) {
        int n = request.argumentCount();
        if (n < min || n > max) {
            throw new CommandException(Errors.wrongArguments(request.name() + "|" + sub));
        }
    }
}
