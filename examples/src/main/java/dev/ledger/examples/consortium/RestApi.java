package dev.ledger.examples.consortium;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.LedgerException;
import dev.ledger.examples.consortium.CustomerService.AccountRef;
import dev.ledger.examples.consortium.CustomerService.AtBank;
import dev.ledger.examples.consortium.CustomerService.SourceText;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API of a consortium bank: JSON in and out, amounts as integers of minor units, a login as a session
 * cookie. Each route reads its JSON, calls {@link CustomerService} (the same operations the RESP commands call),
 * and writes JSON; a {@link Refusal} becomes {@code {"error": code, "message": ...}} with its reason's HTTP status.
 * The routes are described in {@code openapi.json}, served at {@code /api/openapi.json}.
 *
 * <p>Independent of the HTTP server: {@link WebServer} hands each request over as an {@link ApiRequest}.
 *
 * <p>Concurrency: thread-safe; its collaborators are, and the JSON mapper is configured once and then shared.
 */
final class RestApi {
    private static final System.Logger LOG = System.getLogger(RestApi.class.getName());
    private static final Pattern MOVE = Pattern.compile("/api/accounts/([^/]+)/(deposits|withdrawals)");
    private static final Pattern OWNER_ACCOUNTS = Pattern.compile("/api/owners/([^/]+)/accounts");

    /**
     * One request, as the HTTP server read it.
     *
     * @param method the HTTP method
     * @param path the decoded path, without the query
     * @param sessionToken the session cookie's value, or null
     * @param body the body; empty if none
     * @param clientAddress the client's IP address
     */
    record ApiRequest(String method, String path, String sessionToken, byte[] body, String clientAddress) {
    }

    /**
     * One response.
     *
     * @param status the HTTP status
     * @param body the JSON body, or null for none
     * @param headers extra headers, such as {@code Set-Cookie}
     */
    record ApiResponse(int status, JsonNode body, Map<String, String> headers) {
        ApiResponse {
            headers = Map.copyOf(headers);
        }
    }

    /** What a route does; it may throw a {@link Refusal}. */
    @FunctionalInterface
    private interface Route {
        ApiResponse handle(ApiRequest request);
    }

    private final CustomerService service;
    private final WebSessions sessions;
    private final ObjectMapper json;

    RestApi(CustomerService service, WebSessions sessions) {
        this.service = service;
        this.sessions = sessions;
        this.json = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxNumberLength(32).maxStringLength(4096).build());
    }

    /** {@return the name of the session cookie, which the HTTP server reads into {@link ApiRequest#sessionToken}} */
    String sessionCookie() {
        return sessions.cookie();
    }

    /**
     * Answers one request. Never throws: every failure is an error response.
     *
     * @param request the request
     * @return the response
     */
    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (Refusal refusal) {
            return error(refusal);
        } catch (LedgerException refused) {
            return error(Refusal.of(refused));
        } catch (RuntimeException unexpected) {
            LOG.log(Level.ERROR, "internal error at " + request.method() + " " + request.path(), unexpected);
            return error(500, "internal", "internal error; the bank's log has the details", Map.of());
        }
    }

    private ApiResponse route(ApiRequest request) {
        String path = request.path();
        Matcher move = MOVE.matcher(path);
        Matcher ownerAccounts = OWNER_ACCOUNTS.matcher(path);
        Map<String, Route> methods;
        if (path.equals("/api/bank")) {
            methods = Map.of("GET", this::bank);
        } else if (path.equals("/api/owners")) {
            methods = Map.of("POST", this::register);
        } else if (path.equals("/api/session")) {
            methods = Map.of("POST", this::login, "GET", this::whoAmI, "DELETE", this::logout);
        } else if (path.equals("/api/accounts")) {
            methods = Map.of("GET", this::allAccounts, "POST", this::open);
        } else if (move.matches()) {
            boolean deposit = move.group(2).equals("deposits");
            String account = move.group(1);
            methods = Map.of("POST", r -> move(r, account, deposit));
        } else if (ownerAccounts.matches()) {
            String taxId = ownerAccounts.group(1);
            methods = Map.of("GET", r -> accountsOf(r, taxId));
        } else if (path.equals("/api/transfers")) {
            methods = Map.of("POST", this::transfer);
        } else {
            return error(404, "not_found", "no such route: " + Texts.shorten(path), Map.of());
        }
        Route route = methods.get(request.method());
        if (route == null) {
            return error(405, "method_not_allowed", request.method() + " is not allowed on " + path,
                    Map.of("Allow", String.join(", ", methods.keySet())));
        }
        return route.handle(request);
    }

    private ApiResponse bank(ApiRequest request) {
        ObjectNode body = json.createObjectNode().put("name", service.bankName());
        service.banks().forEach(body.putArray("banks")::add);
        return ok(200, body);
    }

    private ApiResponse register(ApiRequest request) {
        JsonNode body = body(request, Set.of("taxId", "password"));
        String owner = service.register(text(body, "taxId"), text(body, "password").toCharArray());
        return ok(201, json.createObjectNode().put("taxId", owner));
    }

    private ApiResponse login(ApiRequest request) {
        JsonNode body = body(request, Set.of("taxId", "password"));
        sessions.end(request.sessionToken()); // a failed login leaves no earlier one behind either
        String owner = service.login(text(body, "taxId"), text(body, "password").toCharArray(),
                request.clientAddress());
        String token = sessions.start(owner);
        return new ApiResponse(200, json.createObjectNode().put("taxId", owner),
                Map.of("Set-Cookie", sessions.cookie() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict"));
    }

    private ApiResponse whoAmI(ApiRequest request) {
        return ok(200, json.createObjectNode().put("taxId", owner(request)));
    }

    private ApiResponse logout(ApiRequest request) {
        sessions.end(request.sessionToken());
        return new ApiResponse(204, null, Map.of("Set-Cookie",
                sessions.cookie() + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
    }

    private ApiResponse allAccounts(ApiRequest request) {
        String owner = owner(request);
        ObjectNode body = json.createObjectNode();
        writeBanks(body.putArray("banks"), service.allAccounts(owner), this::writeAccount);
        return ok(200, body);
    }

    private ApiResponse open(ApiRequest request) {
        String owner = owner(request);
        JsonNode body = body(request, Set.of("account", "type", "coOwners"));
        List<String> coOwners = new ArrayList<>();
        JsonNode given = body.get("coOwners");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw Refusal.badRequest("coOwners must be an array of tax ids");
            }
            for (JsonNode coOwner : given) {
                if (!coOwner.isTextual()) {
                    throw Refusal.badRequest("coOwners must be an array of tax ids (strings)");
                }
                coOwners.add(coOwner.textValue());
            }
        }
        AccountView opened = service.open(owner, text(body, "account"), text(body, "type"), coOwners);
        ObjectNode account = json.createObjectNode();
        writeAccount(account, service.bankName(), opened);
        return ok(201, account);
    }

    private ApiResponse move(ApiRequest request, String account, boolean deposit) {
        String owner = owner(request);
        long amount = amount(body(request, Set.of("amount")), "amount");
        long balance = deposit ? service.deposit(owner, account, amount) : service.withdraw(owner, account, amount);
        String id = account.contains("/") ? account.substring(account.indexOf('/') + 1) : account;
        return ok(200, json.createObjectNode().put("bank", service.bankName()).put("account", id)
                .put("address", service.bankName() + "/" + id).put("balance", balance));
    }

    private ApiResponse transfer(ApiRequest request) {
        String owner = owner(request);
        JsonNode body = body(request, Set.of("to", "from"));
        JsonNode from = body.get("from");
        if (from == null || !from.isArray()) {
            throw Refusal.badRequest("from must be an array of {account, amount}");
        }
        if (from.size() > CustomerService.MAX_SOURCES) {
            throw Refusal.badRequest("a transfer takes at most " + CustomerService.MAX_SOURCES + " sources, got "
                    + from.size());
        }
        List<SourceText> sources = new ArrayList<>();
        for (JsonNode source : from) {
            if (!source.isObject()) {
                throw Refusal.badRequest("each source is an object {account, amount}");
            }
            onlyFields(source, Set.of("account", "amount"), "a source");
            sources.add(new SourceText(text(source, "account"), amount(source, "amount")));
        }
        String txId = service.transfer(owner, text(body, "to"), sources);
        long sum = sources.stream().mapToLong(SourceText::amount).sum(); // cannot overflow: the service checked
        return ok(200, json.createObjectNode().put("txId", txId).put("status", "committed").put("amount", sum));
    }

    private ApiResponse accountsOf(ApiRequest request, String taxId) {
        owner(request);
        List<AtBank<AccountRef>> banks = service.accountsOf(taxId);
        ObjectNode body = json.createObjectNode().put("taxId", TaxId.parse(taxId));
        writeBanks(body.putArray("banks"), banks, (node, bank, account) -> node.put("bank", bank)
                .put("account", account.account()).put("address", bank + "/" + account.account())
                .put("type", account.type()));
        return ok(200, body);
    }

    /** Writes an account into a node. */
    @FunctionalInterface
    private interface AccountWriter<T> {
        ObjectNode write(ObjectNode node, String bank, T account);
    }

    private ObjectNode writeAccount(ObjectNode node, String bank, AccountView account) {
        node.put("bank", bank).put("account", account.account()).put("address", bank + "/" + account.account())
                .put("type", account.type()).put("balance", account.balance()).put("available", account.available());
        account.owners().forEach(node.putArray("owners")::add);
        return node;
    }

    private static <T> void writeBanks(ArrayNode out, List<AtBank<T>> banks, AccountWriter<T> writer) {
        for (AtBank<T> bank : banks) {
            ObjectNode node = out.addObject().put("bank", bank.bank());
            if (bank.reachable()) {
                node.put("status", "ok");
                ArrayNode accounts = node.putArray("accounts");
                bank.accounts().forEach(account -> writer.write(accounts.addObject(), bank.bank(), account));
            } else {
                node.put("status", "unreachable").put("message", bank.unreachable());
            }
        }
    }

    /** {@return the logged-in owner} @throws Refusal {@code UNAUTHORIZED} without a valid session */
    private String owner(ApiRequest request) {
        Optional<String> owner = sessions.owner(request.sessionToken());
        if (owner.isEmpty()) {
            throw new Refusal(Refusal.Reason.UNAUTHORIZED, request.sessionToken() == null
                    ? "not logged in: POST /api/session first" : "your session has ended or is not valid: log in again");
        }
        return owner.get();
    }

    /** Parses a JSON object body with only the given fields. */
    private JsonNode body(ApiRequest request, Set<String> fields) {
        JsonNode body;
        try {
            body = json.readTree(request.body());
        } catch (JsonProcessingException malformed) {
            throw Refusal.badRequest("the body is not valid JSON: " + Texts.shorten(malformed.getOriginalMessage()));
        } catch (java.io.IOException unreadable) {
            throw Refusal.badRequest("the body cannot be read as JSON");
        }
        if (body == null || body.isMissingNode() || !body.isObject()) {
            throw Refusal.badRequest("the body must be a JSON object with " + String.join(", ", sorted(fields)));
        }
        onlyFields(body, fields, "the body");
        return body;
    }

    private static void onlyFields(JsonNode node, Set<String> fields, String what) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw Refusal.badRequest(what + " has an unknown field '" + Texts.shorten(name) + "'; it takes "
                        + String.join(", ", sorted(fields)));
            }
        }
    }

    private static List<String> sorted(Set<String> fields) {
        return fields.stream().sorted().toList();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw Refusal.badRequest("missing field '" + field + "'");
        }
        if (!value.isTextual()) {
            throw Refusal.badRequest("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    /** Reads an amount of minor units: a JSON integer that fits a long; the service checks its range. */
    private static long amount(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw Refusal.badRequest("missing field '" + field + "'");
        }
        if (!value.isIntegralNumber()) {
            throw Refusal.badRequest("'" + field + "' must be an integer of minor units (cents), got "
                    + Texts.shorten(value.toString()));
        }
        if (!value.canConvertToLong()) {
            throw Refusal.badRequest("'" + field + "' is out of range: " + Texts.shorten(value.toString()));
        }
        return value.longValue();
    }

    private static ApiResponse ok(int status, JsonNode body) {
        return new ApiResponse(status, body, Map.of());
    }

    private ApiResponse error(Refusal refusal) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (refusal.retryAfterSeconds() > 0) {
            headers.put("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        }
        return error(refusal.reason().httpStatus(), refusal.reason().code(), refusal.getMessage(), headers);
    }

    /**
     * {@return an error response} For the HTTP server's own refusals too (a body too large, a wrong media type).
     *
     * @param status the HTTP status
     * @param code the error code
     * @param message a sentence for a person
     * @param headers extra headers
     */
    ApiResponse error(int status, String code, String message, Map<String, String> headers) {
        return new ApiResponse(status, json.createObjectNode().put("error", code).put("message", message), headers);
    }

    /** {@return the JSON text of a body} */
    byte[] write(JsonNode body) {
        try {
            return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serializes", e);
        }
    }
}
