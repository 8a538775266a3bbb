package dev.ledger.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ledger} command line: {@code java -jar ledger.jar <subcommand> [options]}. Each subcommand is a
 * picocli command class listed in {@code subcommands} below; adding one is one line there.
 */
@Command(name = "ledger",
        mixinStandardHelpOptions = true,
        versionProvider = LedgerCli.Version.class,
        description = "A bank ledger: accounts, lock strategies and two-phase commit.",
        subcommands = {
            ServerCommand.class,
            ClientCommand.class,
            SimulateCommand.class,
            dev.ledger.examples.consortium.BankCommand.class,
            dev.ledger.examples.consortium.ConsortiumCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class LedgerCli implements Runnable {
    @Spec
    private CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the subcommand and its options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LedgerCli()).execute(args));
    }

    /** Without a subcommand: say which exist. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LedgerCli.class.getPackage().getImplementationVersion();
            return new String[] {"ledger " + (version != null ? version : "(development build)")};
        }
    }
}
