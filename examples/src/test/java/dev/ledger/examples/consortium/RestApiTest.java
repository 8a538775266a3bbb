package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.examples.consortium.HttpSession.Answer;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every route of the REST API and every error status, against three banks in this JVM over real HTTP. */
@Timeout(120)
class RestApiTest {
    private static final String ANA = "52998224725";
    private static final String BO = "39053344705";
    private static final String CY = "71428793860";

    /** The clock of logins and lockouts, moved by the tests instead of waiting. */
    private final AtomicLong clock = new AtomicLong();
    private LocalConsortium banks;

    @BeforeEach
    void start() throws IOException {
        banks = new LocalConsortium(null, builder -> builder.httpPort(0).sessionClock(clock::get)
                .sessionTimeout(Duration.ofMinutes(30)).throttle(new LoginThrottle(3, 10, Duration.ofSeconds(30),
                        Duration.ofMinutes(15), 1_000, clock::get)), "alpha", "beta", "gamma");
        banks.register(ANA, "alpha", "beta", "gamma");
        banks.register(BO, "alpha", "beta");
        banks.open("alpha", "ana", "individual", 1_000, ANA);
        banks.open("beta", "ana", "individual", 500, ANA);
        banks.open("beta", "bo", "business", 0, BO);
    }

    @AfterEach
    void stop() {
        banks.close();
    }

    private HttpSession browser(String bank) {
        return new HttpSession(banks.bank(bank).httpPort());
    }

    private HttpSession loggedIn(String bank, String taxId) {
        HttpSession browser = browser(bank);
        Answer login = browser.post("/api/session", HttpSession.json(Map.of("taxId", taxId,
                "password", LocalConsortium.password(taxId))));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        return browser;
    }

    private static void assertError(Answer answer, int status, String error, String message) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(status);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.message()).contains(message);
        assertThat(answer.header("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
    }

    @Test
    void theBankAndThePanelAreServedWithAStrictContentSecurityPolicy() {
        HttpSession browser = browser("alpha");
        Answer bank = browser.get("/api/bank");
        assertThat(bank.status()).isEqualTo(200);
        assertThat(bank.json().get("name").asText()).isEqualTo("alpha");
        assertThat(bank.json().get("banks")).extracting(JsonNode::asText).containsExactly("alpha", "beta", "gamma");
        assertThat(bank.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"));
        assertThat(bank.header("X-Content-Type-Options")).hasValue("nosniff");

        Answer openApi = browser.get("/api/openapi.json");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.json().get("openapi").asText()).startsWith("3.");
        assertThat(openApi.json().at("/components/securitySchemes/cookieAuth/name").asText())
                .isEqualTo("ledger_session_alpha");
        for (String path : List.of("/api/bank", "/api/owners", "/api/session", "/api/accounts",
                "/api/accounts/{account}/deposits", "/api/accounts/{account}/withdrawals", "/api/transfers",
                "/api/owners/{taxId}/accounts")) {
            assertThat(openApi.json().get("paths").has(path)).as(path).isTrue();
        }
        List<String> codes = new ArrayList<>();
        openApi.json().at("/components/schemas/Error/properties/error/enum").forEach(code -> codes.add(code.asText()));
        for (Refusal.Reason reason : Refusal.Reason.values()) {
            assertThat(codes).as("the OpenAPI description names every error code").contains(reason.code());
        }
        assertThat(codes).contains("payload_too_large", "unsupported_media_type", "method_not_allowed", "internal");
        assertError(browser.get("/api/nothing"), 404, "not_found", "no such route");
        assertError(browser.get("/etc/passwd"), 404, "not_found", "no such page");
        Answer wrongMethod = browser.delete("/api/transfers");
        assertError(wrongMethod, 405, "method_not_allowed", "DELETE is not allowed");
        assertThat(wrongMethod.header("Allow")).hasValue("POST");
    }

    @Test
    void registrationChecksTheCpfThePasswordAndTheBody() {
        HttpSession browser = browser("alpha");
        Answer registered = browser.post("/api/owners", "{\"taxId\":\"714.287.938-60\",\"password\":\"long enough\"}");
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("taxId").asText()).isEqualTo(CY);

        assertError(browser.post("/api/owners", "{\"taxId\":\"" + CY + "\",\"password\":\"long enough\"}"), 409,
                "conflict", "already registered");
        assertError(browser.post("/api/owners", "{\"taxId\":\"52998224724\",\"password\":\"long enough\"}"), 400,
                "bad_request", "its check digits are wrong");
        assertError(browser.post("/api/owners", "{\"taxId\":\"11111111111\",\"password\":\"long enough\"}"), 400,
                "bad_request", "all its digits are the same");
        assertError(browser.post("/api/owners", "{\"taxId\":\"12345678909\",\"password\":\"short\"}"), 400,
                "bad_request", "a password is 8 to 128 characters");
        assertError(browser.post("/api/owners", "{\"taxId\":\"12345678909\""), 400, "bad_request",
                "not valid JSON");
        assertError(browser.post("/api/owners", "[1,2]"), 400, "bad_request", "must be a JSON object");
        assertError(browser.post("/api/owners", "{\"taxId\":\"12345678909\"}"), 400, "bad_request",
                "missing field 'password'");
        assertError(browser.post("/api/owners", "{\"taxId\":12345678909,\"password\":\"long enough\"}"), 400,
                "bad_request", "'taxId' must be a string");
        assertError(browser.post("/api/owners", "{\"taxId\":\"12345678909\",\"password\":\"long enough\","
                + "\"admin\":true}"), 400, "bad_request", "unknown field 'admin'");
        assertError(browser.post("/api/owners", "{\"taxId\":\"12345678909\",\"taxId\":\"52998224725\","
                + "\"password\":\"long enough\"}"), 400, "bad_request", "Duplicate field");
        assertError(browser.post("/api/owners", "text/plain", "{\"taxId\":\"12345678909\",\"password\":\"long "
                + "enough\"}"), 415, "unsupported_media_type", "application/json");
        assertError(browser.post("/api/owners", null, "x"), 415, "unsupported_media_type", "application/json");
        String huge = "{\"taxId\":\"12345678909\",\"password\":\"" + "x".repeat(WebServer.MAX_BODY) + "\"}";
        assertError(browser.post("/api/owners", huge), 413, "payload_too_large", "at most 16384 bytes");
        assertThat(browser.post("/api/session", HttpSession.json(Map.of("taxId", "12345678909",
                "password", "long enough"))).status()).as("nothing was registered by the refused calls").isEqualTo(401);
    }

    @Test
    void aLoginSetsAStrictHttpOnlyCookieThatExpiresAndCannotBeForged() {
        HttpSession browser = browser("alpha");
        assertError(browser.get("/api/session"), 401, "unauthorized", "not logged in");
        Answer login = browser.post("/api/session", HttpSession.json(Map.of("taxId", "529.982.247-25",
                "password", LocalConsortium.password(ANA))));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("taxId").asText()).isEqualTo(ANA);
        assertThat(login.header("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith(WebSessions.COOKIE_PREFIX + "alpha=").contains("HttpOnly", "SameSite=Strict", "Path=/"));
        assertThat(browser.get("/api/session").json().get("taxId").asText()).isEqualTo(ANA);

        String real = browser.cookie;
        browser.cookie = real.substring(0, real.length() - 2) + (real.endsWith("AA") ? "BB" : "AA");
        assertError(browser.get("/api/accounts"), 401, "unauthorized", "not valid");
        browser.cookie = real;
        assertThat(browser.get("/api/accounts").status()).isEqualTo(200);

        clock.addAndGet(Duration.ofMinutes(31).toNanos());
        assertError(browser.get("/api/accounts"), 401, "unauthorized", "log in again");

        HttpSession atBeta = loggedIn("beta", ANA);
        atBeta.cookieName = browser.cookieName;
        atBeta.cookie = browser.cookie;
        assertError(atBeta.get("/api/accounts"), 401, "unauthorized", "not logged in");

        HttpSession again = loggedIn("alpha", ANA);
        assertThat(again.delete("/api/session").status()).isEqualTo(204);
        assertThat(again.cookie).isNull();
        again.cookie = real;
        assertError(again.get("/api/accounts"), 401, "unauthorized", "log in again");
    }

    @Test
    void oneBrowserStaysLoggedInAtSeveralBanks() throws Exception {
        // A browser keeps cookies per host, not per port, as java.net.CookieManager does: the banks' cookies on
        // 127.0.0.1 would overwrite each other if they had one name.
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String login = HttpSession.json(Map.of("taxId", ANA, "password", LocalConsortium.password(ANA)));
        for (String bank : List.of("alpha", "beta")) {
            HttpResponse<String> response = browser.send(HttpRequest.newBuilder(panel(bank, "/api/session"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        for (String bank : List.of("alpha", "beta")) {
            assertThat(browser.send(HttpRequest.newBuilder(panel(bank, "/api/accounts")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(bank).isEqualTo(200);
        }
    }

    private URI panel(String bank, String path) {
        return URI.create("http://127.0.0.1:" + banks.bank(bank).httpPort() + path);
    }

    @Test
    void failedLoginsLockTheTaxIdOutWithTooManyAttempts() {
        HttpSession guesser = browser("alpha");
        String wrong = HttpSession.json(Map.of("taxId", ANA, "password", "not the password"));
        for (int i = 0; i < 3; i++) {
            assertError(guesser.post("/api/session", wrong), 401, "unauthorized", "invalid tax id or password");
        }
        assertError(guesser.post("/api/session", wrong), 401, "unauthorized", "invalid tax id or password");
        String right = HttpSession.json(Map.of("taxId", ANA, "password", LocalConsortium.password(ANA)));
        Answer locked = guesser.post("/api/session", right);
        assertError(locked, 429, "too_many_attempts", "try again in 30 s");
        assertThat(locked.header("Retry-After")).hasValue("30");
        assertThat(browser("alpha").post("/api/session", HttpSession.json(Map.of("taxId", BO,
                "password", LocalConsortium.password(BO)))).status()).as("another tax id").isEqualTo(200);

        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(guesser.post("/api/session", right).status()).isEqualTo(200);
    }

    @Test
    void anOwnerSeesEveryAccountAtEveryBankAndOpensOneHere() {
        HttpSession ana = loggedIn("alpha", ANA);
        Answer accounts = ana.get("/api/accounts");
        assertThat(accounts.status()).isEqualTo(200);
        JsonNode perBank = accounts.json().get("banks");
        assertThat(perBank).extracting(bank -> bank.get("bank").asText(), bank -> bank.get("status").asText())
                .containsExactly(tuple("alpha", "ok"), tuple("beta", "ok"), tuple("gamma", "ok"));
        JsonNode home = perBank.get(0).get("accounts").get(0);
        assertThat(home.get("address").asText()).isEqualTo("alpha/ana");
        assertThat(home.get("type").asText()).isEqualTo("individual");
        assertThat(home.get("balance").asLong()).isEqualTo(1_000);
        assertThat(home.get("available").asLong()).isEqualTo(1_000);
        assertThat(home.get("owners")).extracting(JsonNode::asText).containsExactly(ANA);

        Answer opened = ana.post("/api/accounts", "{\"account\":\"ana-bo\",\"type\":\"joint\",\"coOwners\":[\""
                + "390.533.447-05\"]}");
        assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
        assertThat(opened.json().get("owners")).extracting(JsonNode::asText).containsExactly(ANA, BO);
        assertError(ana.post("/api/accounts", "{\"account\":\"ana-bo\",\"type\":\"individual\"}"), 409,
                "conflict", "already exists");
        assertError(ana.post("/api/accounts", "{\"account\":\"x\",\"type\":\"joint\",\"coOwners\":[]}"), 400,
                "bad_request", "a joint account needs at least one co-owner");
        assertError(ana.post("/api/accounts", "{\"account\":\"x\",\"type\":\"shared\"}"), 400, "bad_request",
                "individual, joint or business");
        assertError(ana.post("/api/accounts", "{\"account\":\"x y\",\"type\":\"individual\"}"), 400,
                "bad_request", "account id");
        assertError(ana.post("/api/accounts", "{\"account\":\"x\",\"type\":\"business\",\"coOwners\":\"bo\"}"),
                400, "bad_request", "coOwners must be an array");
        assertError(browser("alpha").get("/api/accounts"), 401, "unauthorized", "not logged in");

        banks.stop("gamma");
        JsonNode withGammaDown = ana.get("/api/accounts").json().get("banks");
        assertThat(withGammaDown.get(2).get("status").asText()).isEqualTo("unreachable");
        assertThat(withGammaDown.get(2).get("message").asText()).contains("cannot connect to 127.0.0.1:");
    }

    @Test
    void depositsAndWithdrawalsOnlyOnOwnAccountsWithAmountsChecked() {
        HttpSession ana = loggedIn("alpha", ANA);
        Answer deposit = ana.post("/api/accounts/ana/deposits", "{\"amount\":250}");
        assertThat(deposit.status()).isEqualTo(200);
        assertThat(deposit.json().get("balance").asLong()).isEqualTo(1_250);
        assertError(ana.post("/api/accounts/alpha%2Fana/withdrawals", "{\"amount\":50}"), 400, "bad_request",
                "Ambiguous");
        assertThat(ana.post("/api/accounts/ana/withdrawals", "{\"amount\":50}").status()).isEqualTo(200);
        Answer withdrawal = ana.post("/api/accounts/ana/withdrawals", "{\"amount\":200}");
        assertThat(withdrawal.json().get("balance").asLong()).isEqualTo(1_000);

        assertError(ana.post("/api/accounts/ana/withdrawals", "{\"amount\":1001}"), 409, "insufficient_funds",
                "insufficient funds");
        HttpSession bo = loggedIn("alpha", BO);
        assertError(bo.post("/api/accounts/ana/deposits", "{\"amount\":1}"), 403, "forbidden",
                "alpha/ana is not an account of yours");
        assertError(bo.post("/api/accounts/nobody/deposits", "{\"amount\":1}"), 403, "forbidden",
                "alpha/nobody is not an account of yours");
        for (String amount : List.of("0", "-5", "1.5", "\"10\"", "1e3", "99999999999999999999", "null")) {
            Answer refused = ana.post("/api/accounts/ana/deposits", "{\"amount\":" + amount + "}");
            assertThat(refused.status()).as(amount).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("bad_request");
        }
        assertError(ana.post("/api/accounts/ana/deposits", "{\"amount\":" + (ConsortiumBank.DEFAULT_MAX_AMOUNT + 1)
                + "}"), 400, "bad_request", "an amount is 1 to " + ConsortiumBank.DEFAULT_MAX_AMOUNT);
        assertThat(banks.bank("alpha").bank().balance("ana")).as("no refused call changed anything")
                .isEqualTo(1_000);
    }

    @Test
    void aTransferFromTwoBanksIntoAnAccountFoundByTaxId() {
        HttpSession ana = loggedIn("alpha", ANA);
        Answer found = ana.get("/api/owners/390.533.447-05/accounts");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("taxId").asText()).isEqualTo(BO);
        JsonNode atBeta = found.json().get("banks").get(1);
        assertThat(atBeta.get("accounts")).extracting(account -> account.get("address").asText(),
                account -> account.get("type").asText()).containsExactly(tuple("beta/bo", "business"));
        assertThat(atBeta.get("accounts").get(0).has("balance")).as("never the money of others").isFalse();
        assertError(ana.get("/api/owners/123/accounts"), 400, "bad_request", "11 digits");
        assertError(browser("alpha").get("/api/owners/" + BO + "/accounts"), 401, "unauthorized", "not logged in");

        Answer paid = ana.post("/api/transfers", "{\"to\":\"beta/bo\",\"from\":[{\"account\":\"alpha/ana\","
                + "\"amount\":300},{\"account\":\"beta/ana\",\"amount\":200}]}");
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(200);
        assertThat(paid.json().get("status").asText()).isEqualTo("committed");
        assertThat(paid.json().get("amount").asLong()).isEqualTo(500);
        assertThat(paid.json().get("txId").asText()).startsWith("alpha-");

        assertError(ana.post("/api/transfers", "{\"to\":\"beta/bo\",\"from\":[{\"account\":\"alpha/ana\","
                + "\"amount\":701}]}"), 409, "insufficient_funds", "insufficient funds at alpha");
        assertError(ana.post("/api/transfers", "{\"to\":\"beta/nobody\",\"from\":[{\"account\":\"alpha/ana\","
                + "\"amount\":1}]}"), 404, "not_found", "unknown account 'nobody'");
        assertError(ana.post("/api/transfers", "{\"to\":\"alpha/ana\",\"from\":[{\"account\":\"beta/bo\","
                + "\"amount\":1}]}"), 403, "forbidden", "beta/bo is not an account of yours");
        assertError(ana.post("/api/transfers", "{\"to\":\"delta/x\",\"from\":[{\"account\":\"alpha/ana\","
                + "\"amount\":1}]}"), 400, "bad_request", "unknown bank 'delta'");
        String seventeen = IntStream.range(0, 17).mapToObj(i -> "{\"account\":\"alpha/a" + i + "\",\"amount\":1}")
                .reduce((a, b) -> a + "," + b).orElseThrow();
        assertError(ana.post("/api/transfers", "{\"to\":\"beta/bo\",\"from\":[" + seventeen + "]}"), 400,
                "bad_request", "at most 16 sources, got 17");
        assertError(ana.post("/api/transfers", "{\"to\":\"beta/bo\",\"from\":{}}"), 400, "bad_request",
                "from must be an array");
        assertError(ana.post("/api/transfers", "{\"to\":\"beta/bo\",\"from\":[{\"account\":\"alpha/ana\","
                + "\"amount\":1,\"fee\":2}]}"), 400, "bad_request", "unknown field 'fee'");

        banks.stop("gamma");
        assertError(ana.post("/api/transfers", "{\"to\":\"gamma/x\",\"from\":[{\"account\":\"alpha/ana\","
                + "\"amount\":1}]}"), 503, "unavailable", "bank gamma unreachable; nothing moved");
        assertThat(banks.bank("alpha").bank().balance("ana")).isEqualTo(700);
        assertThat(banks.bank("beta").bank().balance("ana")).isEqualTo(300);
        assertThat(banks.bank("beta").bank().balance("bo")).isEqualTo(500);
    }
}
