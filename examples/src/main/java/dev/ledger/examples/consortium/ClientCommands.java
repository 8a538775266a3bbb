package dev.ledger.examples.consortium;

import dev.ledger.LedgerException;
import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.examples.consortium.ConsortiumClient.TransferOutcome;
import dev.ledger.net.ServerErrorException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The person-facing commands of {@code ledger consortium}: each connects to one bank, logs in (but
 * {@code register}), does one thing and exits with 0 if it succeeded, 1 if the bank refused or failed it.
 * {@code shell} logs in once and takes the same commands line by line.
 */
final class ClientCommands {
    /** The environment variable a script may put the password in, instead of typing it. */
    static final String PASSWORD_VARIABLE = "LEDGER_PASSWORD";

    private ClientCommands() {
    }

    /** What every client command shares: which bank, who, and how a failure is told. */
    abstract static class ClientAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        ConsortiumCommand parent;

        @Option(names = "--consortium", defaultValue = "consortium.txt", paramLabel = "FILE",
                description = "The consortium file (default: ${DEFAULT-VALUE}).")
        Path consortiumFile;

        @Option(names = "--bank", required = true, description = "The bank to connect to.")
        String bank;

        @Option(names = "--tax-id", required = true, description = "Your tax id: 11 digits.")
        String taxId;

        @Option(names = "--timeout-ms", defaultValue = "5000", paramLabel = "MS",
                description = "Timeout of each call to the bank (default: ${DEFAULT-VALUE}).")
        long timeoutMillis;

        @Override
        public Integer call() throws IOException {
            Member member = member();
            String password = parent.password("password for " + taxId + " at " + bank + ": ");
            PrintWriter out = spec.commandLine().getOut();
            try (ConsortiumClient client = ConsortiumClient.connect(member, Duration.ofMillis(timeoutMillis))) {
                if (logsIn()) {
                    client.login(taxId, password);
                }
                return perform(client, password, out) ? 0 : 1;
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println(describe(e, bank));
                return 1;
            }
        }

        /** {@return whether the command needs a login first} */
        boolean logsIn() {
            return true;
        }

        /** {@return whether it succeeded} */
        abstract boolean perform(ConsortiumClient client, String password, PrintWriter out);

        private Member member() {
            Consortium consortium;
            try {
                consortium = Consortium.read(consortiumFile);
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the consortium file "
                        + consortiumFile + ": " + e.getMessage());
            }
            return consortium.find(bank).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "no bank '" + bank + "' in " + consortiumFile + "; it has " + consortium));
        }
    }

    /** Says why a call failed, for a person. */
    static String describe(RuntimeException failure, String bank) {
        if (failure instanceof ServerErrorException) {
            ServerErrorException refusal = (ServerErrorException) failure;
            return (refusal.kind().equals("NOAUTH") ? "not logged in: " : "refused: ") + refusal.detail();
        }
        if (failure instanceof LedgerException) {
            return "refused: " + failure.getMessage();
        }
        if (failure instanceof UncheckedIOException) {
            return "bank " + bank + " unreachable: " + Texts.rootMessage(failure);
        }
        if (failure instanceof IllegalArgumentException) {
            return "error: " + failure.getMessage();
        }
        throw failure;
    }

    /** {@code register}: registers the tax id with the password at the bank. */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register as an owner at a bank, with your tax id and a password (8 to 128 characters).")
    static final class Register extends ClientAction {
        @Override
        boolean logsIn() {
            return false;
        }

        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            client.register(taxId, password);
            out.println("registered " + taxId + " at " + client.bank());
            return true;
        }
    }

    /** {@code open}: opens an account owned by the logged-in owner and any co-owners. */
    @Command(name = "open", mixinStandardHelpOptions = true,
            description = "Open an account at the bank: individual (you alone), joint (with co-owners) or business.")
    static final class Open extends ClientAction {
        @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The new account's id.")
        String account;

        @Parameters(index = "1", paramLabel = "TYPE", description = "individual, joint or business.")
        String type;

        @Parameters(index = "2..*", paramLabel = "CO-OWNER", description = "Co-owners' tax ids, registered here.")
        List<String> coOwners = List.of();

        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            return Actions.open(client, out, account, type, coOwners);
        }
    }

    /** {@code accounts}: the owner's accounts at every bank. */
    @Command(name = "accounts", mixinStandardHelpOptions = true,
            description = "List your accounts at every bank of the consortium; banks that do not answer are named.")
    static final class Accounts extends ClientAction {
        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            return Actions.accounts(client, out);
        }
    }

    /** {@code deposit}: pays money into an own account at the bank. */
    @Command(name = "deposit", mixinStandardHelpOptions = true,
            description = "Deposit money into one of your accounts at the bank.")
    static final class Deposit extends ClientAction {
        @Parameters(index = "0", paramLabel = "ACCOUNT")
        String account;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "In minor units (cents).")
        String amount;

        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            return Actions.deposit(client, out, account, amount);
        }
    }

    /** {@code withdraw}: takes money out of an own account at the bank. */
    @Command(name = "withdraw", mixinStandardHelpOptions = true,
            description = "Withdraw money from one of your accounts at the bank.")
    static final class Withdraw extends ClientAction {
        @Parameters(index = "0", paramLabel = "ACCOUNT")
        String account;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "In minor units (cents).")
        String amount;

        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            return Actions.withdraw(client, out, account, amount);
        }
    }

    /** {@code transfer}: a cross-bank transfer, coordinated by the bank connected to. */
    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = {"Pay into one account from one or more of your accounts, at any banks: all or nothing.",
                "Example: transfer beta/bob alpha/ana 300 gamma/ana 200"})
    static final class Transfer extends ClientAction {
        @Parameters(index = "0", paramLabel = "TO", description = "The destination, bank/account.")
        String to;

        @Parameters(index = "1..*", arity = "2..*", paramLabel = "FROM AMOUNT",
                description = "Each source, bank/account, and its amount in minor units.")
        List<String> sources;

        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            return Actions.transfer(client, out, to, sources);
        }
    }

    /** {@code shell}: logs in once, then runs commands typed line by line until {@code quit} or end of input. */
    @Command(name = "shell", mixinStandardHelpOptions = true,
            description = "Log in once, then type commands: accounts, deposit, withdraw, transfer, open, help, quit.")
    static final class Shell extends ClientAction {
        @Override
        boolean perform(ConsortiumClient client, String password, PrintWriter out) {
            out.println("logged in as " + taxId + " at " + client.bank() + "; type help for the commands");
            while (true) {
                if (parent.interactive()) {
                    out.print(client.bank() + "> ");
                }
                out.flush();
                String line;
                try {
                    line = parent.input().readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (line == null || List.of("quit", "exit").contains(line.strip())) {
                    return true;
                }
                try {
                    Actions.run(client, out, Arrays.asList(line.strip().split("\\s+")));
                } catch (RuntimeException e) {
                    out.println(describe(e, client.bank()));
                }
            }
        }
    }

    /** What the client commands do, shared by the one-shot commands and the shell. */
    static final class Actions {
        private static final String HELP = String.join(System.lineSeparator(),
                "accounts                                  your accounts at every bank",
                "deposit ACCOUNT AMOUNT                    into your account at this bank",
                "withdraw ACCOUNT AMOUNT                   from your account at this bank",
                "transfer TO FROM AMOUNT [FROM AMOUNT...]  TO and FROM as bank/account",
                "open ACCOUNT TYPE [CO-OWNER...]           TYPE individual, joint or business",
                "quit");

        private Actions() {
        }

        /** Runs one shell line. */
        static void run(ConsortiumClient client, PrintWriter out, List<String> words) {
            String command = words.get(0);
            List<String> args = words.subList(1, words.size());
            if (command.isEmpty()) {
                return;
            }
            if (!wellFormed(command, args.size())) {
                out.println((command.equals("help") ? "" : "error: expected one of:" + System.lineSeparator())
                        + HELP);
                return;
            }
            switch (command) {
                case "accounts" -> accounts(client, out);
                case "deposit" -> deposit(client, out, args.get(0), args.get(1));
                case "withdraw" -> withdraw(client, out, args.get(0), args.get(1));
                case "transfer" -> transfer(client, out, args.get(0), args.subList(1, args.size()));
                case "open" -> open(client, out, args.get(0), args.get(1), args.subList(2, args.size()));
                default -> throw new IllegalStateException("a well-formed command is handled: " + command);
            }
        }

        private static boolean wellFormed(String command, int args) {
            return switch (command) {
                case "accounts" -> args == 0;
                case "deposit", "withdraw" -> args == 2;
                case "transfer" -> args >= 3 && args % 2 == 1;
                case "open" -> args >= 2;
                default -> false;
            };
        }

        static boolean accounts(ConsortiumClient client, PrintWriter out) {
            AccountTable.print(out, client.allAccounts(), "  ");
            return true;
        }

        static boolean deposit(ConsortiumClient client, PrintWriter out, String account, String amount) {
            long balance = client.deposit(account, ConsortiumClient.parseAmount(amount));
            out.println(address(client, account) + " balance " + balance);
            return true;
        }

        static boolean withdraw(ConsortiumClient client, PrintWriter out, String account, String amount) {
            OptionalLong balance = client.withdraw(account, ConsortiumClient.parseAmount(amount));
            out.println(balance.isPresent() ? address(client, account) + " balance " + balance.getAsLong()
                    : "failed: insufficient funds in " + address(client, account));
            return balance.isPresent();
        }

        /** {@return bank/account for an account given with or without its bank, as the bank accepts both} */
        private static String address(ConsortiumClient client, String account) {
            return account.startsWith(client.bank() + "/") ? account : client.bank() + "/" + account;
        }

        static boolean transfer(ConsortiumClient client, PrintWriter out, String to, List<String> sources) {
            TransferOutcome outcome = client.transfer(to, ConsortiumClient.sources(sources));
            out.println(outcome.committed() ? "committed " + outcome.detail() : "failed: " + outcome.detail());
            return outcome.committed();
        }

        static boolean open(ConsortiumClient client, PrintWriter out, String account, String type,
                List<String> coOwners) {
            client.openAccount(account, type, coOwners);
            out.println("opened " + client.bank() + "/" + account + " (" + type + ")");
            return true;
        }
    }
}
