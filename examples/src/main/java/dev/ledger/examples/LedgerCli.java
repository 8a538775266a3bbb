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
            dev.ledger.examples.xa.XaDemoCommand.class,
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
        preferPlatformPollers();
        System.exit(new CommandLine(new LedgerCli()).execute(args));
    }

    /**
     * Asks for platform poller threads ({@code jdk.pollerMode=1}, the Java 21 default) unless the user chose a
     * mode. Since Java 22 the JDK on Linux runs its I/O pollers as virtual threads by default, which adds a
     * scheduling hop to every wake-up of a virtual thread blocked on a socket; a server that answers one request
     * per round trip wakes once per request, and the hop costs it a quarter of its throughput at one client.
     * The property is a JDK implementation setting: runtimes that do not know it ignore it.
     */
    private static void preferPlatformPollers() {
        if (System.getProperty("jdk.pollerMode") == null) {
            System.setProperty("jdk.pollerMode", "1");
        }
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
