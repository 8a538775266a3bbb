package dev.ledger.examples.consortium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A person's browser, as far as the REST API sees it: requests to one bank's HTTP port, with the session cookie
 * the bank set kept and sent back, or a cookie of the test's choosing.
 */
final class HttpSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer: status, headers and the body as JSON (null when empty). */
    record Answer(int status, HttpResponse<String> raw, JsonNode json) {
        String error() {
            return json == null ? null : json.path("error").asText(null);
        }

        String message() {
            return json == null ? null : json.path("message").asText(null);
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    private final int port;
    /** The session cookie's name, as the bank set it. */
    String cookieName;
    /** The session cookie's value, as the bank last set it, or as a test forged it. */
    String cookie;

    HttpSession(int port) {
        this.port = port;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer post(String path, String contentType, String body) {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            builder.header("Cookie", cookieName + "=" + cookie);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            response.headers().firstValue("Set-Cookie").ifPresent(set -> {
                cookieName = set.substring(0, set.indexOf('='));
                String value = set.substring(set.indexOf('=') + 1, set.indexOf(';'));
                cookie = value.isEmpty() ? null : value;
            });
            String body = response.body();
            boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            return new Answer(response.statusCode(), response, body.isEmpty() || !json ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@return the JSON text of a value} */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
