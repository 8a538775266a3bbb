package dev.ledger.net.internal;

import dev.ledger.net.CommandException;
import dev.ledger.net.Request;
import dev.ledger.net.Session;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@link Request} handlers see: the request the parser holds now, read in place from its buffer, so serving
 * a request allocates nothing of its own. One per connection.
 *
 * <p>Confined to the connection's serving thread, as the parser is.
 */
final class RequestView implements Request {
    private final RequestParser input;
    private final Session session;

    RequestView(RequestParser input, Session session) {
        this.input = input;
        this.session = session;
    }

    @Override
    public String name() {
        return new String(input.buffer(), input.offset(0), input.length(0), StandardCharsets.UTF_8);
    }

    @Override
    public int argumentCount() {
        return input.count() - 1;
    }

    @Override
    public String argument(int index) {
        int i = checkIndex(index);
        return new String(input.buffer(), input.offset(i), input.length(i), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] argumentBytes(int index) {
        int i = checkIndex(index);
        return Arrays.copyOfRange(input.buffer(), input.offset(i), input.offset(i) + input.length(i));
    }

    @Override
    public long longArgument(int index, String what) {
        int i = checkIndex(index);
        try {
            return Numbers.parseLong(input.buffer(), input.offset(i), input.length(i));
        } catch (NumberFormatException e) {
            String shown = Text.printable(input.buffer(), input.offset(i), input.length(i));
            switch (e.getMessage()) {
                case "empty":
                    throw new CommandException(what + " is empty");
                case "out of range":
                    throw new CommandException(what + " is out of range, got '" + shown + "'");
                default:
                    throw new CommandException(what + " must be a whole number (digits, optionally after '-'),"
                            + " got '" + shown + "'");
            }
        }
    }

    @Override
    public void requireArguments(int min, int max) {
        int n = argumentCount();
        if (n < min || n > max) {
            throw new CommandException(Errors.wrongArguments(name()));
        }
    }

    @Override
    public Session session() {
        return session;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= argumentCount()) {
            throw new IndexOutOfBoundsException("argument " + index + " of " + argumentCount());
        }
        return index + 1;
    }
}
