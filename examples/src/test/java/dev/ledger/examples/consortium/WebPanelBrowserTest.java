package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.examples.ChildProcesses;
import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web panel in a real browser (Debian's headless Chromium, through Selenium and chromedriver) against three
 * real bank processes, used as a person would: two owners register at the banks where they keep accounts, log in,
 * open individual, joint and business accounts through the panels of two banks, pay in and out, send a transfer
 * from accounts at two banks to an account found by the recipient's tax id, get one refused for insufficient funds,
 * lose a bank in the middle of the session, and log out. Only the panel's {@code data-test} hooks are used, and
 * every wait is for a condition in the page (or, for settlement, in the banks), never for time.
 *
 * <p>Skipped, loudly, when the browser or the driver is not installed ({@link HeadlessChromium}). Screenshots of
 * each step go to {@code target/screenshots}, the banks' and the driver's logs to {@code target/browser-test}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class WebPanelBrowserTest {
    private static final String SECRET = "browser-test-secret-0123";
    /** Generous: the build machine may be busy. Every wait ends as soon as its condition holds. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> BANKS = List.of("alpha", "beta", "gamma");
    private static final List<String> BANK_OPTIONS = List.of("--http-port", "0", "--pbkdf2-iterations", "1000",
            "--peer-timeout-ms", "2000", "--hold-timeout-ms", "5000");

    private static final String ANA = "52998224725";
    private static final String ANA_SHOWN = "529.982.247-25";
    private static final String ANA_PASSWORD = "ana's password";
    private static final String BO = "39053344705";
    private static final String BO_SHOWN = "390.533.447-05";
    private static final String BO_PASSWORD = "bo's password";

    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");
    private static final Path SCREENSHOTS = TARGET.resolve("screenshots");
    private static final Path LOGS = TARGET.resolve("browser-test");

    private Path work;
    private Consortium consortium;
    private final Map<String, BankProcess> processes = new ConcurrentHashMap<>();
    /** Each bank's panel, "http://127.0.0.1:PORT/", as the bank printed it. */
    private final Map<String, String> panels = new LinkedHashMap<>();
    private ChromeDriver browser;
    /** Takes the banks along if this JVM ends before the tests do. */
    private final Thread killBanksOnExit = new Thread(
            () -> processes.values().forEach(process -> process.process().destroyForcibly()), "browser-test-cleanup");

    /** Money paid in and out through the panels, in centavos: what the banks must hold between them. */
    private long deposited;
    private long withdrawn;

    @BeforeAll
    @Timeout(90)
    void startBanksAndBrowser() throws Exception {
        if (!HeadlessChromium.missing().isEmpty()) {
            return; // the test skips, and says why
        }
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(LOGS);
        try (Stream<Path> old = Files.list(SCREENSHOTS)) {
            for (Path png : old.filter(path -> path.toString().endsWith(".png")).toList()) {
                Files.delete(png); // the folder shows this run only
            }
        }
        Runtime.getRuntime().addShutdownHook(killBanksOnExit);
        work = Files.createTempDirectory("ledger-browser-test-");
        List<Member> members = new ArrayList<>();
        for (String name : BANKS) {
            members.add(new Member(name, "127.0.0.1", LocalConsortium.freePort()));
        }
        consortium = Consortium.of(members);
        Path consortiumFile = work.resolve("consortium.txt");
        Files.write(consortiumFile, consortium.lines(), StandardCharsets.UTF_8);
        for (String name : BANKS) {
            Path log = LOGS.resolve(name + ".log");
            Files.deleteIfExists(log);
            processes.put(name, BankProcess.start(name, consortiumFile, SECRET, log, BANK_OPTIONS));
        }
        Path profile = Files.createDirectory(work.resolve("chromium-profile"));
        browser = HeadlessChromium.start(profile, LOGS.resolve("chromedriver.log")); // while the banks start
        for (String name : BANKS) {
            String line = processes.get(name).await(l -> l.startsWith("bank " + name + " web panel and REST API on "),
                    START);
            panels.put(name, line.substring(line.indexOf("http://")));
        }
    }

    @AfterAll
    @Timeout(60)
    void stopBanksAndBrowser() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            for (BankProcess process : processes.values()) {
                process.close();
            }
            Runtime.getRuntime().removeShutdownHook(killBanksOnExit);
            if (work != null) {
                ChildProcesses.deleteQuietly(work);
            }
        }
    }

    @Test
    void twoOwnersUseThePanelsOfThreeBanksAndOneBankIsLostOnTheWay() throws Exception {
        HeadlessChromium.assumeInstalled(getClass().getSimpleName());
        try {
            registerAtTheBanks();
            openAccountsThroughTheOtherBanksPanels();
            openAccountsDepositAndWithdrawAtAlpha();
            transferFromTwoBanksToAnAccountFoundByTaxId();
            transferRefusedForInsufficientFunds();
            bankLostInTheMiddleOfTheSession();
            logOutAndTheCoOwnerSeesTheMoney();
            assertThat(pageErrors()).as("errors in the browser's console").isEmpty();
        } catch (Throwable failure) {
            try {
                screenshot("failure");
            } catch (RuntimeException | IOException unseen) {
                failure.addSuppressed(unseen);
            }
            throw failure;
        }
    }

    /** Step 1: ana and bo register at alpha, both at beta, ana at gamma: tax ids typed with and without dots. */
    private void registerAtTheBanks() throws IOException {
        visit("alpha");
        assertThat(hook("auth-view").isDisplayed()).isTrue();
        assertThat(hook("panel-view").isDisplayed()).isFalse();
        assertThat(hook("consortium").getText()).isEqualTo("alpha · beta · gamma");
        register(ANA_SHOWN, ANA_PASSWORD, ANA_SHOWN);
        register(BO, BO_PASSWORD, BO_SHOWN);
        assertThat(hook("login-taxid").getDomProperty("value")).as("the login form is filled in for bo")
                .isEqualTo(BO_SHOWN);
        screenshot("01-registered");

        visit("beta");
        register(ANA, ANA_PASSWORD, ANA_SHOWN);
        register(BO_SHOWN, BO_PASSWORD, BO_SHOWN);
        visit("gamma");
        register(ANA, ANA_PASSWORD, ANA_SHOWN);
    }

    /** Step 2: ana opens a business account at beta and an individual one at gamma, bo his own at beta. */
    private void openAccountsThroughTheOtherBanksPanels() throws IOException {
        visit("beta");
        logIn(ANA_SHOWN, ANA_PASSWORD, ANA_SHOWN);
        assertThat(cards()).as("this bank first").containsExactly("beta", "alpha", "gamma");
        assertThat(card("beta").getDomAttribute("data-here")).isEqualTo("true");
        assertThat(card("alpha").findElement(test("no-accounts")).getText()).isEqualTo("No accounts at alpha.");
        openAccount("beta", "ana-shop", "business", "", "Business");
        move("deposit", "beta", "ana-shop", "2.000,00", "Deposited R$ 2.000,00 into beta/ana-shop. New balance: "
                + "R$ 2.000,00.");
        deposited += 200_000;
        assertBalance("beta/ana-shop", 200_000, "R$ 2.000,00");
        screenshot("02-business-account-at-beta");
        logOut();

        visit("gamma");
        logIn(ANA, ANA_PASSWORD, ANA_SHOWN);
        openAccount("gamma", "ana-g", "individual", "", "Individual");
        move("deposit", "gamma", "ana-g", "300", "Deposited R$ 300,00 into gamma/ana-g. New balance: R$ 300,00.");
        deposited += 30_000;
        logOut();

        visit("beta");
        logIn(BO, BO_PASSWORD, BO_SHOWN);
        openAccount("beta", "bo", "individual", "", "Individual");
        logOut();
    }

    /** Step 3: at alpha, ana opens an individual and a joint account with bo, pays in and out, sees everything. */
    private void openAccountsDepositAndWithdrawAtAlpha() throws IOException {
        visit("alpha");
        logIn(ANA_SHOWN, ANA_PASSWORD, ANA_SHOWN);
        assertThat(cards()).containsExactly("alpha", "beta", "gamma");
        assertThat(card("alpha").findElement(test("no-accounts")).getText()).isEqualTo("No accounts at alpha.");
        assertThat(hook("move-account").isEnabled()).as("nothing to deposit into yet").isFalse();
        assertThat(hook("deposit-submit").isEnabled()).isFalse();

        openAccount("alpha", "ana", "individual", "", "Individual");
        openAccount("alpha", "ana-bo", "joint", BO_SHOWN, "Joint");
        assertThat(account("alpha/ana-bo").findElement(test("owners")).getText())
                .isEqualTo(ANA_SHOWN + " (you), " + BO_SHOWN);
        assertThat(account("alpha/ana").findElement(test("owners")).getText()).isEqualTo(ANA_SHOWN + " (you)");
        screenshot("03-accounts-opened");

        move("deposit", "alpha", "ana", "1.234,56", "Deposited R$ 1.234,56 into alpha/ana. New balance: "
                + "R$ 1.234,56.");
        move("deposit", "alpha", "ana-bo", "500,00", "Deposited R$ 500,00 into alpha/ana-bo. New balance: "
                + "R$ 500,00.");
        move("withdraw", "alpha", "ana", "34,56", "Withdrew R$ 34,56 from alpha/ana. New balance: R$ 1.200,00.");
        deposited += 123_456 + 50_000;
        withdrawn += 3_456;

        assertBalance("alpha/ana", 120_000, "R$ 1.200,00");
        assertBalance("alpha/ana-bo", 50_000, "R$ 500,00");
        assertBalance("beta/ana-shop", 200_000, "R$ 2.000,00");
        assertBalance("gamma/ana-g", 30_000, "R$ 300,00");
        assertThat(accountTypes()).containsExactly(Map.entry("alpha/ana", "individual"),
                Map.entry("alpha/ana-bo", "joint"), Map.entry("beta/ana-shop", "business"),
                Map.entry("gamma/ana-g", "individual"));
        assertTotal(400_000, "R$ 4.000,00");
        assertThat(hook("move-account").getText()).contains("ana · Individual · R$ 1.200,00",
                "ana-bo · Joint · R$ 500,00");
        screenshot("04-deposits-and-withdrawal");
        assertMoneyInvariant(BANKS, 0);
    }

    /** Step 4: R$ 150,00 from alpha/ana and R$ 250,50 from beta/ana-shop to bo's beta/bo, found by his tax id. */
    private void transferFromTwoBanksToAnAccountFoundByTaxId() throws IOException {
        setSources(Map.of("alpha/ana", "150,00", "beta/ana-shop", "250,50"));
        assertThat(source("alpha/ana").isSelected()).as("typing an amount ticks the box").isTrue();
        assertThat(source("beta/ana-shop").isSelected()).isTrue();
        assertThat(source("alpha/ana-bo").isSelected()).isFalse();
        assertMoney(hook("transfer-total"), 40_050, "R$ 400,50", "total to send");

        WebElement found = search(BO_SHOWN);
        assertThat(found.getDomAttribute("data-kind")).as(found.getText()).isEqualTo("ok");
        assertThat(found.getText()).isEqualTo("2 accounts found: pick " + BO_SHOWN + "’s account to send to.");
        assertThat(destinations()).containsExactly("alpha/ana-bo", "beta/bo");
        assertThat(destinationBanks()).containsExactly(Map.entry("alpha", "ok"), Map.entry("beta", "ok"),
                Map.entry("gamma", "ok"));
        browser.findElement(test("dest", "beta/bo")).click();
        assertThat(browser.findElement(test("dest", "beta/bo")).isSelected()).isTrue();

        WebElement outcome = send();
        assertThat(outcome.getDomAttribute("data-kind")).as(outcome.getText()).isEqualTo("ok");
        String txId = outcome.getDomAttribute("data-tx");
        assertThat(txId).as("the coordinator is the bank of the panel").startsWith("alpha-");
        assertThat(outcome.findElement(test("transfer-txid")).getText()).isEqualTo(txId);
        assertThat(outcome.getText()).contains("Transfer done",
                "R$ 400,50 sent to beta/bo. Transaction " + txId + ".");
        awaitAccounts();
        assertThat(browser.findElements(By.cssSelector("[data-test='source']:checked"))).as("the form is cleared")
                .isEmpty();
        assertThat(hook("transfer-total").getText()).isEqualTo("—");

        awaitSettled(BANKS);
        refresh();
        assertBalance("alpha/ana", 105_000, "R$ 1.050,00");
        assertBalance("beta/ana-shop", 174_950, "R$ 1.749,50");
        assertBalance("alpha/ana-bo", 50_000, "R$ 500,00");
        assertBalance("gamma/ana-g", 30_000, "R$ 300,00");
        assertTotal(359_950, "R$ 3.599,50");
        screenshot("05-transfer-done");
        assertMoneyInvariant(BANKS, 0);
    }

    /** Step 5: R$ 10,00 from alpha/ana and R$ 300,01 from gamma/ana-g, which holds R$ 300,00: nothing moves. */
    private void transferRefusedForInsufficientFunds() throws IOException {
        Map<String, String> before = shownBalances();
        setSources(Map.of("alpha/ana", "10", "gamma/ana-g", "300,01"));
        assertMoney(hook("transfer-total"), 31_001, "R$ 310,01", "total to send");
        assertThat(browser.findElement(test("dest", "beta/bo")).isSelected()).as("still picked").isTrue();

        WebElement outcome = send();
        assertThat(outcome.getDomAttribute("data-kind")).as(outcome.getText()).isEqualTo("error");
        assertThat(outcome.getDomAttribute("data-tx")).isNull();
        assertThat(outcome.getText()).contains("Transfer not made", "insufficient funds at gamma",
                "No money was moved.");
        awaitAccounts();
        awaitSettled(BANKS);
        refresh();
        assertThat(shownBalances()).as("every balance as before").isEqualTo(before);
        assertThat(browser.findElements(test("held"))).as("nothing left held").isEmpty();
        assertTotal(359_950, "R$ 3.599,50");
        screenshot("06-insufficient-funds");
        assertMoneyInvariant(BANKS, 0);
    }

    /**
     * Step 6: gamma is killed while ana's panel still lists its account; her transfer from it is refused and names
     * gamma; the panel then shows gamma unreachable, and the money at alpha and beta is all there.
     */
    private void bankLostInTheMiddleOfTheSession() throws Exception {
        long lostWithGamma = audit("gamma")[0];
        assertThat(lostWithGamma).isEqualTo(30_000);
        processes.get("gamma").kill();
        assertThat(processes.get("gamma").process().isAlive()).isFalse();

        setSources(Map.of("gamma/ana-g", "100,00", "alpha/ana", "10,00"));
        assertThat(browser.findElement(test("dest", "beta/bo")).isSelected()).isTrue();
        WebElement outcome = send();
        assertThat(outcome.getDomAttribute("data-kind")).as(outcome.getText()).isEqualTo("error");
        assertThat(outcome.getText()).contains("Transfer not made", "bank gamma unreachable", "nothing moved",
                "No money was moved.");
        awaitAccounts();

        WebElement gamma = card("gamma");
        assertThat(gamma.getDomAttribute("data-status")).isEqualTo("unreachable");
        assertThat(gamma.findElement(test("bank-error")).getText()).startsWith("cannot connect to 127.0.0.1:");
        assertThat(gamma.findElements(test("account"))).isEmpty();
        assertThat(card("alpha").getDomAttribute("data-status")).isEqualTo("ok");
        assertThat(card("beta").getDomAttribute("data-status")).isEqualTo("ok");
        assertThat(browser.findElements(test("source"))).extracting(s -> s.getDomAttribute("data-address"))
                .as("only accounts at reachable banks can pay").containsExactly("alpha/ana", "alpha/ana-bo",
                        "beta/ana-shop");
        assertBalance("alpha/ana", 105_000, "R$ 1.050,00");
        assertBalance("alpha/ana-bo", 50_000, "R$ 500,00");
        assertBalance("beta/ana-shop", 174_950, "R$ 1.749,50");
        assertThat(browser.findElements(test("held"))).isEmpty();
        assertTotal(329_950, "R$ 3.299,50");

        WebElement found = search(BO);
        assertThat(found.getDomAttribute("data-kind")).as(found.getText()).isEqualTo("ok");
        assertThat(destinationBanks()).containsExactly(Map.entry("alpha", "ok"), Map.entry("beta", "ok"),
                Map.entry("gamma", "unreachable"));
        screenshot("07-bank-unreachable");
        assertMoneyInvariant(List.of("alpha", "beta"), lostWithGamma);
    }

    /** Step 7: ana logs out; bo logs in at alpha and sees the joint account and what ana sent him. */
    private void logOutAndTheCoOwnerSeesTheMoney() throws IOException {
        logOut();
        screenshot("08-logged-out");

        logIn(BO_SHOWN, BO_PASSWORD, BO_SHOWN);
        assertThat(card("gamma").getDomAttribute("data-status")).isEqualTo("unreachable");
        assertThat(account("alpha/ana-bo").findElement(test("owners")).getText())
                .isEqualTo(ANA_SHOWN + ", " + BO_SHOWN + " (you)");
        assertBalance("alpha/ana-bo", 50_000, "R$ 500,00");
        assertBalance("beta/bo", 40_050, "R$ 400,50");
        assertThat(browser.findElements(test("account"))).hasSize(2);
        assertTotal(90_050, "R$ 900,50");
        screenshot("09-co-owner-panel");
        logOut();
    }

    // ---------------------------------------------------------------------------------------------------------
    // What a person does in the panel
    // ---------------------------------------------------------------------------------------------------------

    /** Opens a bank's panel and waits until it has loaded. */
    private void visit(String bank) {
        browser.get(panels.get(bank));
        await("the panel of " + bank + " loaded", d -> !hook("loading").isDisplayed()
                && (hook("auth-view").isDisplayed() || hook("panel-view").isDisplayed()));
        assertThat(hook("bank-name").getText()).isEqualTo(bank);
        assertThat(browser.getTitle()).startsWith(bank + " · ");
    }

    private void register(String typedTaxId, String password, String shownTaxId) {
        type(hook("register-taxid"), typedTaxId);
        type(hook("register-password"), password);
        hook("register-submit").click();
        WebElement message = awaitMessage("auth-message", "register-submit");
        assertThat(message.getDomAttribute("data-kind")).as(message.getText()).isEqualTo("ok");
        assertThat(message.getText()).isEqualTo("Registered " + shownTaxId + ". Log in with your password.");
    }

    private void logIn(String typedTaxId, String password, String shownTaxId) {
        type(hook("login-taxid"), typedTaxId);
        type(hook("login-password"), password);
        hook("login-submit").click();
        await("the panel after logging in as " + shownTaxId, d -> hook("panel-view").isDisplayed()
                || hook("auth-message").getDomAttribute("data-kind") != null);
        assertThat(hook("panel-view").isDisplayed()).as(hook("auth-message").getText()).isTrue();
        awaitAccounts();
        assertThat(hook("auth-view").isDisplayed()).isFalse();
        assertThat(hook("whoami").getText()).isEqualTo(shownTaxId);
        assertThat(hook("accounts-message").getDomAttribute("data-kind")).isNull();
    }

    private void logOut() {
        hook("logout").click();
        await("the login view after logging out", d -> hook("auth-view").isDisplayed());
        WebElement message = awaitMessage("auth-message", "logout");
        assertThat(message.getDomAttribute("data-kind")).as(message.getText()).isEqualTo("ok");
        assertThat(message.getText()).isEqualTo("You have logged out.");
        assertThat(hook("panel-view").isDisplayed()).isFalse();
        assertThat(hook("logout").isDisplayed()).isFalse();
        assertThat(hook("whoami").getDomProperty("textContent")).isEmpty();
        assertThat(browser.findElements(test("account"))).as("nothing of the owner left in the page").isEmpty();
    }

    private void openAccount(String bank, String account, String type, String coOwners, String label) {
        type(hook("open-account"), account);
        new Select(hook("open-type")).selectByValue(type);
        type(hook("open-coowners"), coOwners);
        hook("open-submit").click();
        WebElement message = awaitMessage("open-message", "open-submit");
        assertThat(message.getDomAttribute("data-kind")).as(message.getText()).isEqualTo("ok");
        assertThat(message.getText()).isEqualTo("Opened " + bank + "/" + account + " (" + label + ").");
        awaitAccounts();
        WebElement opened = account(bank + "/" + account);
        assertThat(opened.getDomAttribute("data-type")).isEqualTo(type);
        assertThat(opened.findElement(test("account-type")).getText()).isEqualTo(label);
        assertMoney(opened.findElement(test("balance")), 0, "R$ 0,00", "balance of " + bank + "/" + account);
    }

    /** A deposit or a withdrawal ({@code kind}) at the panel's bank; checks the message, waits for the refresh. */
    private void move(String kind, String bank, String account, String amount, String expectedMessage) {
        assertThat(hook("bank-name").getText()).isEqualTo(bank);
        new Select(hook("move-account")).selectByValue(account);
        type(hook("move-amount"), amount);
        hook(kind + "-submit").click();
        WebElement message = awaitMessage("move-message", kind + "-submit");
        assertThat(message.getDomAttribute("data-kind")).as(message.getText()).isEqualTo("ok");
        assertThat(message.getText()).isEqualTo(expectedMessage);
        awaitAccounts();
    }

    /** Ticks exactly the given sources with their amounts; unticks and empties the others. */
    private void setSources(Map<String, String> amounts) {
        for (WebElement box : browser.findElements(test("source"))) {
            String address = box.getDomAttribute("data-address");
            WebElement amount = browser.findElement(test("source-amount", address));
            String wanted = amounts.get(address);
            type(amount, wanted == null ? "" : wanted);
            if (box.isSelected() != (wanted != null)) {
                box.click();
            }
        }
        assertThat(browser.findElements(By.cssSelector("[data-test='source']:checked")))
                .extracting(box -> box.getDomAttribute("data-address"))
                .containsExactlyInAnyOrderElementsOf(amounts.keySet());
    }

    /** Searches the recipient's tax id as typed; {@return the search's message} */
    private WebElement search(String typedTaxId) {
        type(hook("dest-taxid"), typedTaxId);
        hook("dest-search").click();
        return awaitMessage("dest-message", "dest-search");
    }

    /** Sends the transfer; {@return its outcome message} */
    private WebElement send() {
        hook("transfer-submit").click();
        return awaitMessage("transfer-message", "transfer-submit");
    }

    /** Clicks Refresh once the accounts have loaded, and waits until they have loaded again. */
    private void refresh() {
        awaitAccounts();
        hook("refresh").click();
        awaitAccounts();
        assertThat(hook("accounts-message").getDomAttribute("data-kind")).as(hook("accounts-message").getText())
                .isNull();
        assertThat(hook("updated").getText()).startsWith("Updated at ");
    }

    /** Replaces what an input holds with {@code text}, as a person would: select all, then type (or delete). */
    private static void type(WebElement input, String text) {
        if (text.equals(input.getDomProperty("value"))) {
            return;
        }
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text.isEmpty() ? Keys.DELETE.toString() : text);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading the page
    // ---------------------------------------------------------------------------------------------------------

    private static By test(String name) {
        return By.cssSelector("[data-test='" + name + "']");
    }

    private static By test(String name, String address) {
        return By.cssSelector("[data-test='" + name + "'][data-address='" + address + "']");
    }

    private WebElement hook(String name) {
        return browser.findElement(test(name));
    }

    private WebElement card(String bank) {
        return browser.findElement(By.cssSelector("[data-test='bank-card'][data-bank='" + bank + "']"));
    }

    private WebElement account(String address) {
        return browser.findElement(test("account", address));
    }

    private WebElement source(String address) {
        return browser.findElement(test("source", address));
    }

    private List<String> cards() {
        return browser.findElements(test("bank-card")).stream().map(c -> c.getDomAttribute("data-bank")).toList();
    }

    private Map<String, String> accountTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (WebElement a : browser.findElements(test("account"))) {
            types.put(a.getDomAttribute("data-address"), a.getDomAttribute("data-type"));
        }
        return types;
    }

    /** {@return every account's balance as shown: "R$ 1.050,00 = 105000" by address} */
    private Map<String, String> shownBalances() {
        Map<String, String> balances = new LinkedHashMap<>();
        for (WebElement a : browser.findElements(test("account"))) {
            WebElement balance = a.findElement(test("balance"));
            balances.put(a.getDomAttribute("data-address"), balance.getText() + " = "
                    + balance.getDomAttribute("data-cents"));
        }
        return balances;
    }

    private List<String> destinations() {
        return browser.findElements(test("dest")).stream().map(d -> d.getDomAttribute("data-address")).toList();
    }

    private Map<String, String> destinationBanks() {
        Map<String, String> banks = new LinkedHashMap<>();
        for (WebElement group : browser.findElements(test("dest-bank"))) {
            banks.put(group.getDomAttribute("data-bank"), group.getDomAttribute("data-status"));
        }
        return banks;
    }

    private void assertBalance(String address, long cents, String text) {
        assertMoney(account(address).findElement(test("balance")), cents, text, "balance of " + address);
    }

    private void assertTotal(long cents, String text) {
        assertMoney(hook("total"), cents, text, "total");
    }

    private static void assertMoney(WebElement money, long cents, String text, String what) {
        assertThat(money.getText()).as(what).isEqualTo(text);
        assertThat(money.getDomAttribute("data-cents")).as(what + ", data-cents").isEqualTo(String.valueOf(cents));
    }

    /** {@return the errors in the browser's console, but for the failed requests the API answers by design} */
    private List<String> pageErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource: the server responded with a status"))
                .toList();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Waiting
    // ---------------------------------------------------------------------------------------------------------

    private <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT, POLL).ignoring(StaleElementReferenceException.class)
                .withMessage("waiting for " + what).until(condition::apply);
    }

    /** Waits until the operation of a button is over and its message shows; {@return the message} */
    private WebElement awaitMessage(String message, String button) {
        return await(message + " after " + button, d -> {
            WebElement m = hook(message);
            return hook(button).getDomAttribute("aria-busy") == null && m.getDomAttribute("data-kind") != null
                    ? m : null;
        });
    }

    /** Waits until the accounts have loaded: one card per bank, no request running. */
    private void awaitAccounts() {
        await("the accounts", d -> "false".equals(hook("accounts").getDomAttribute("data-loading"))
                && d.findElements(test("bank-card")).size() == BANKS.size());
    }

    /**
     * Waits until no bank holds money for a transfer: a committed transfer is final when the coordinator answers,
     * and its commit reaches the other banks just after.
     */
    private void awaitSettled(List<String> banks) {
        new FluentWait<>(banks).withTimeout(WAIT).pollingEvery(POLL)
                .withMessage("no money held or in doubt at " + banks)
                .until(names -> names.stream().map(this::audit)
                        .allMatch(audit -> audit[1] == 0 && audit[2] == 0 && audit[3] == 0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The banks and the artifacts
    // ---------------------------------------------------------------------------------------------------------

    /** {@return AUDIT of a bank, asked over RESP as the operator: total, held, incoming, in doubt} */
    private long[] audit(String bank) {
        Member member = consortium.find(bank).orElseThrow();
        try (BankClient operator = PeerLink.connectionTo(member, SECRET, WAIT).connect()) {
            return Replies.list(operator.execute(Call.raw("AUDIT")), "AUDIT").stream()
                    .mapToLong(value -> Replies.integer(value, "AUDIT")).toArray();
        }
    }

    /** The money at the given banks is what was paid in, less what was paid out and what a lost bank took along. */
    private void assertMoneyInvariant(List<String> banks, long lost) {
        awaitSettled(banks);
        long total = 0;
        for (String bank : banks) {
            long[] audit = audit(bank);
            assertThat(audit[1] + audit[2] + audit[3]).as(bank + ": held, incoming, in doubt").isZero();
            total += audit[0];
        }
        assertThat(total).as("money at " + banks).isEqualTo(deposited - withdrawn - lost);
    }

    /** Saves the whole page as {@code target/screenshots/<name>.png}. */
    private void screenshot(String name) throws IOException {
        if (browser == null) {
            return;
        }
        Dimension window = browser.manage().window().getSize();
        Number height = (Number) browser.executeScript("window.scrollTo(0, 0); return document.documentElement"
                + ".scrollHeight + window.outerHeight - window.innerHeight;");
        browser.manage().window().setSize(new Dimension(window.getWidth(),
                Math.max(window.getHeight(), height.intValue())));
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(window);
        }
    }
}
