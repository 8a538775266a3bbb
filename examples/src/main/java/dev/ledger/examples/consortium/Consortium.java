package dev.ledger.examples.consortium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The banks of a consortium, as its file lists them: one bank per line, {@code name host:port}, in the order
 * given. Blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 * # consortium.txt
 * alpha 127.0.0.1:7101
 * beta  127.0.0.1:7102
 * </pre>
 *
 * <p>Immutable.
 */
public final class Consortium {
    /**
     * A bank's name: no {@code -}, because a transaction id is {@code <coordinator>-<random>-<sequence>} and a
     * participant finds the coordinating bank before the first {@code -}; no {@code /}, which separates bank and
     * account in {@code XTRANSFER}.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,32}");

    /** The shortest secret the banks may share: long enough that a stranger cannot guess it. */
    static final int MIN_SECRET_LENGTH = 16;

    /**
     * One bank of the consortium.
     *
     * @param name the bank's name, also the prefix of the transaction ids it coordinates
     * @param host where it listens
     * @param port its port
     */
    public record Member(String name, String host, int port) {
        /** {@return {@code host:port}} */
        public String address() {
            return host + ":" + port;
        }
    }

    private final Map<String, Member> members;

    private Consortium(Map<String, Member> members) {
        this.members = Collections.unmodifiableMap(members);
    }

    /**
     * Reads a consortium file.
     *
     * @param file the file
     * @return the consortium
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and line of the first malformed line
     */
    public static Consortium read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), String.valueOf(file.getFileName()));
    }

    /**
     * Parses the lines of a consortium file.
     *
     * @param lines the lines
     * @param source the file's name, for error messages
     * @return the consortium
     * @throws IllegalArgumentException naming the line of the first malformed line
     */
    public static Consortium parse(List<String> lines, String source) {
        Map<String, Member> members = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            Member member = parseLine(line, where);
            for (Member earlier : members.values()) {
                if (earlier.name().equals(member.name())) {
                    throw new IllegalArgumentException(where + "bank '" + member.name() + "' is listed twice");
                }
                if (earlier.address().equals(member.address())) {
                    throw new IllegalArgumentException(where + member.address() + " is already bank '"
                            + earlier.name() + "'");
                }
            }
            members.put(member.name(), member);
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException(source + ": lists no bank; expected lines of 'name host:port'");
        }
        return new Consortium(members);
    }

    /**
     * Makes a consortium of the given banks, checked as a file's lines would be.
     *
     * @param members the banks, in order
     * @return the consortium
     */
    public static Consortium of(List<Member> members) {
        return parse(members.stream().map(Consortium::line).toList(), "consortium");
    }

    /** {@return whether the text can be the secret the banks share: at least {@value #MIN_SECRET_LENGTH} characters} */
    static boolean isValidSecret(String secret) {
        return secret != null && secret.length() >= MIN_SECRET_LENGTH;
    }

    private static Member parseLine(String line, String where) {
        String[] words = line.split("\\s+");
        if (words.length != 2) {
            throw new IllegalArgumentException(where + "expected 'name host:port', got '" + line + "'");
        }
        String name = words[0];
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "a bank name is 1 to 32 letters, digits or '_', got '"
                    + name + "'");
        }
        int colon = words[1].lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(where + "expected host:port after the name, got '" + words[1] + "'");
        }
        String host = words[1].substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // [::1]:7101
        }
        String port = words[1].substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(where + "a port is 1 to 65535, got '" + port + "'");
        }
        return new Member(name, host, Integer.parseInt(port));
    }

    /** {@return every bank, in the file's order} */
    public List<Member> members() {
        return List.copyOf(members.values());
    }

    /** {@return the banks' names, in the file's order} */
    public List<String> names() {
        return List.copyOf(members.keySet());
    }

    /**
     * Looks a bank up by name.
     *
     * @param name the bank's name
     * @return the bank, or empty if the consortium has none of that name
     */
    public Optional<Member> find(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** {@return the consortium as the lines of its file} */
    public List<String> lines() {
        return members.values().stream().map(Consortium::line).toList();
    }

    private static String line(Member member) {
        return member.name() + " " + member.address();
    }

    @Override
    public String toString() {
        return String.join(", ", members.keySet());
    }
}
