package dev.ledger.examples.consortium;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ledger consortium}: the person-facing client of a bank consortium ({@code register}, {@code open},
 * {@code accounts}, {@code deposit}, {@code withdraw}, {@code transfer}, or {@code shell} for all of them after one
 * login), and the {@code demo}.
 *
 * <p>Concurrency: used by the command line's thread; {@code input} is created lazily under {@code this}.
 */
@Command(name = "consortium", mixinStandardHelpOptions = true,
        description = {"A bank consortium: several banks, each its own server, no central bank, and atomic "
                + "cross-bank transfers by two-phase commit. Start banks with 'ledger bank'.",
            "The client commands ask for the password, or read it from $" + ClientCommands.PASSWORD_VARIABLE + "."},
        subcommands = {
            DemoCommand.class,
            UpCommand.class,
            ClientCommands.Register.class,
            ClientCommands.Open.class,
            ClientCommands.Accounts.class,
            ClientCommands.Deposit.class,
            ClientCommands.Withdraw.class,
            ClientCommands.Transfer.class,
            ClientCommands.Shell.class,
            CommandLine.HelpCommand.class,
        })
public final class ConsortiumCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Where passwords (without a console) and shell commands are read; null until first used, or set by tests. */
    private BufferedReader input;
    private boolean inputGiven;

    /** Creates the command; picocli fills in the rest. */
    public ConsortiumCommand() {
    }

    /** Reads from {@code input} instead of standard input: for tests. */
    ConsortiumCommand(BufferedReader input) {
        this.input = input;
        this.inputGiven = true;
    }

    /** Without a subcommand: say which exist. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** {@return where to read lines typed by the person} */
    synchronized BufferedReader input() {
        if (input == null) {
            input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return input;
    }

    /** {@return whether a person types at a terminal: then passwords are read without echo, and prompts shown} */
    boolean interactive() {
        return !inputGiven && System.console() != null;
    }

    /**
     * Gets the password: from {@value ClientCommands#PASSWORD_VARIABLE} if set, else typed at the terminal without
     * echo, else the next line of standard input (for scripts: {@code printf '%s\n' "$pw" | ledger consortium ...}).
     *
     * @param prompt what to ask at a terminal
     * @return the password
     * @throws CommandLine.ParameterException if there is none
     */
    String password(String prompt) throws IOException {
        String fromEnvironment = inputGiven ? null : System.getenv(ClientCommands.PASSWORD_VARIABLE);
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Console console = System.console();
        if (interactive() && console != null) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed != null) {
                return new String(typed);
            }
        }
        String line = input().readLine();
        if (line == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no password: set $"
                    + ClientCommands.PASSWORD_VARIABLE + ", type it at a terminal, or give it on standard input");
        }
        return line;
    }
}
