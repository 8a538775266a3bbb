package dev.ledger.net;

/**
 * One request as a {@link CommandHandler} sees it: the command name and its arguments.
 *
 * <p>Valid only during the handler's call, on the connection's thread: copy what you keep.
 */
public interface Request {
    /** Returns the command name as the client sent it (names match case-insensitively). */
    String name();

    /** Returns the number of arguments after the command name. */
    int argumentCount();

    /**
     * Returns an argument as UTF-8 text.
     *
     * @param index from 0 (the first argument after the name) to {@code argumentCount() - 1}
     * @return the argument
     */
    String argument(int index);

    /**
     * Returns an argument's bytes.
     *
     * @param index from 0 to {@code argumentCount() - 1}
     * @return a copy of the argument's bytes
     */
    byte[] argumentBytes(int index);

    /**
     * Parses an argument as a whole number, strictly: an optional {@code -} and decimal digits that fit a
     * {@code long}; {@code +5}, {@code 1e3}, {@code 5.0}, spaces, an empty string and overflow are refused.
     *
     * @param index from 0 to {@code argumentCount() - 1}
     * @param what what the argument is, for the error: {@code amount}, {@code timeout}
     * @return the number
     * @throws CommandException {@code ERR <what> ...} naming the problem
     */
    long longArgument(int index, String what);

    /**
     * Checks the number of arguments.
     *
     * @param min the fewest allowed
     * @param max the most allowed, or {@code Integer.MAX_VALUE}
     * @throws CommandException {@code ERR wrong number of arguments for '<name>' command}
     */
    void requireArguments(int min, int max);

    /** Returns the session of the connection the request came on. */
    Session session();
}
