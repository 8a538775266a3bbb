package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.examples.LedgerCli;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ledger consortium ...} as a person uses it, against banks in this JVM; passwords come on the input. */
@Timeout(60)
class ClientCommandsTest {
    private static final String ANA = "52998224725";
    private static final String BO = "39053344705";

    @TempDir
    Path dir;

    private LocalConsortium banks;
    private Path consortiumFile;

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void startBanks() throws Exception {
        banks = new LocalConsortium("alpha", "beta");
        consortiumFile = dir.resolve("consortium.txt");
        Files.write(consortiumFile, banks.consortium.lines(), StandardCharsets.UTF_8);
    }

    @AfterEach
    void stopBanks() {
        banks.close();
    }

    @Test
    void aPersonRegistersOpensAccountsDepositsTransfersAndSeesEveryBank() {
        assertThat(client("ana-password\n", "register", "alpha", ANA).out()).isEqualTo("registered " + ANA
                + " at alpha\n");
        assertThat(client("ana-password\n", "register", "beta", ANA).status()).isZero();
        assertThat(client("bo-password\n", "register", "alpha", BO).status()).isZero();
        assertThat(client("ana-password\n", "open", "alpha", ANA, "home", "joint", BO).out())
                .isEqualTo("opened alpha/home (joint)\n");
        assertThat(client("ana-password\n", "open", "beta", ANA, "savings", "individual").status()).isZero();
        assertThat(client("ana-password\n", "deposit", "alpha", ANA, "home", "1000").out())
                .isEqualTo("alpha/home balance 1000\n");

        Run transfer = client("bo-password\n", "transfer", "alpha", BO, "beta/savings", "alpha/home", "300");
        assertThat(transfer.status()).as(transfer.err()).isZero();
        assertThat(transfer.out()).startsWith("committed alpha-");

        Run refused = client("bo-password\n", "transfer", "alpha", BO, "beta/savings", "alpha/home", "701");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.out()).isEqualTo("failed: insufficient funds at alpha: insufficient funds in 'home' "
                + "for 701\n");
        assertThat(client("ana-password\n", "withdraw", "beta", ANA, "savings", "301").out())
                .isEqualTo("failed: insufficient funds in beta/savings\n");

        Run accounts = client("ana-password\n", "accounts", "beta", ANA);
        assertThat(accounts.status()).isZero();
        assertThat(accounts.out()).containsPattern("alpha/home +joint +700 +700  " + ANA + "," + BO)
                .containsPattern("beta/savings +individual +300 +300  " + ANA)
                .containsPattern("total +1000");
    }

    @Test
    void refusalsAndUnreachableBanksAreToldAndExitWithOne() {
        client("ana-password\n", "register", "alpha", ANA);

        Run wrongPassword = client("not-her-password\n", "accounts", "alpha", ANA);
        assertThat(wrongPassword.status()).isEqualTo(1);
        assertThat(wrongPassword.err()).isEqualTo("refused: invalid tax id or password\n");
        Run notHers = client("ana-password\n", "deposit", "alpha", ANA, "someone", "5");
        assertThat(notHers.err()).isEqualTo("refused: alpha/someone is not an account of yours\n");
        Run badAmount = client("ana-password\n", "deposit", "alpha", ANA, "someone", "5.00");
        assertThat(badAmount.err()).startsWith("error: an amount is a whole number of minor units");

        banks.stop("beta");
        Run down = client("ana-password\n", "register", "beta", ANA);
        assertThat(down.status()).isEqualTo(1);
        assertThat(down.err()).startsWith("bank beta unreachable: cannot connect to 127.0.0.1:");
        Run partial = client("ana-password\n", "accounts", "alpha", ANA);
        assertThat(partial.status()).isZero();
        assertThat(partial.out()).containsPattern("beta +UNREACHABLE: cannot connect to")
                .containsPattern("total +\\(reachable\\) +0");

        Run unknownBank = client("", "accounts", "delta", ANA);
        assertThat(unknownBank.status()).isEqualTo(2);
        assertThat(unknownBank.err()).contains("no bank 'delta' in");
    }

    @Test
    void theShellLogsInOnceAndTakesCommandsUntilQuit() {
        client("ana-password\n", "register", "alpha", ANA);
        client("ana-password\n", "open", "alpha", ANA, "main", "individual");

        Run shell = client(String.join("\n", "ana-password", "deposit main 250", "withdraw main 50", "deposit main",
                "fly away", "transfer alpha/main alpha/main 5", "accounts", "quit", "deposit main 1") + "\n",
                "shell", "alpha", ANA);

        assertThat(shell.status()).isZero();
        assertThat(shell.out()).startsWith("logged in as " + ANA + " at alpha")
                .contains("alpha/main balance 250\n", "alpha/main balance 200\n",
                        "error: expected one of:", "refused: cannot pay alpha/main from itself")
                .containsPattern("alpha/main +individual +200 +200")
                .doesNotContain("balance 201");
        assertThat(banks.bank("alpha").bank().balance("main")).isEqualTo(200);
    }

    @Test
    void theLedgerCommandLineOffersTheBankAndTheConsortium() {
        CommandLine ledger = new CommandLine(new LedgerCli());
        assertThat(ledger.getSubcommands()).containsKeys("bank", "consortium");
        assertThat(ledger.getSubcommands().get("consortium").getSubcommands()).containsKeys("demo", "register",
                "open", "accounts", "deposit", "withdraw", "transfer", "shell");
    }

    /** Runs {@code ledger consortium <command> --consortium <file> --bank <bank> --tax-id <id> <rest>}. */
    private Run client(String input, String command, String bank, String taxId, String... rest) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine consortium = new CommandLine(new ConsortiumCommand(new BufferedReader(new StringReader(input))))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        String[] arguments = new String[7 + rest.length];
        arguments[0] = command;
        arguments[1] = "--consortium";
        arguments[2] = consortiumFile.toString();
        arguments[3] = "--bank";
        arguments[4] = bank;
        arguments[5] = "--tax-id";
        arguments[6] = taxId;
        System.arraycopy(rest, 0, arguments, 7, rest.length);
        int status = consortium.execute(arguments);
        return new Run(status, out.toString(), err.toString());
    }
}
