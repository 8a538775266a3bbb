package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.RestApi.ApiRequest;
import dev.ledger.examples.consortium.RestApi.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A consortium bank's HTTP server (Jetty): the web panel's files at {@code /}, and the {@link RestApi} under
 * {@code /api/}. It enforces what holds for every request before the API sees it: a body of at most
 * {@value #MAX_BODY} bytes (413), JSON for every body sent (415; with the {@code SameSite=Strict} session cookie
 * this keeps other sites from posting on a person's behalf), and security headers on every response (a strict
 * Content-Security-Policy: the panel ships every asset itself).
 *
 * <p>Requests run on virtual threads where the JDK has them (Java 21+), else on a bounded pool; a slow client holds
 * only its own thread, and an idle connection is closed after 30 s.
 *
 * <p>Concurrency: thread-safe; the files are read once at construction and never change; {@link #start} and
 * {@link #stop} are called once each, by the bank's owner.
 */
final class WebServer {
    /** The largest request body accepted. */
    static final int MAX_BODY = 16 * 1024;
    /** The most of a refused body read and dropped before the refusal is sent. */
    private static final int MAX_DRAINED = 1 << 20;
    private static final String WEB = "/dev/ledger/examples/consortium/web/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css",
            "/logo.svg", "logo.svg", "/api/openapi.json", "openapi.json");
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                    + "form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    /** A file of the panel. */
    private record StaticFile(byte[] content, String type) {
    }

    private final RestApi api;
    private final Server server;
    private final ServerConnector connector;
    private final Map<String, StaticFile> files = new LinkedHashMap<>();

    /**
     * Creates the server, not started.
     *
     * @param api the REST API
     * @param name the bank's name, for thread names
     * @param host the address to listen on
     * @param port the port, 0 for any free one
     */
    WebServer(RestApi api, String name, String host, int port) {
        this.api = api;
        FILES.forEach((path, file) -> load(file).ifPresent(content -> files.put(path, content)));
        files.computeIfPresent("/api/openapi.json", (path, description) -> new StaticFile(new String(
                description.content(), StandardCharsets.UTF_8).replace("ledger_session_BANK", api.sessionCookie())
                .getBytes(StandardCharsets.UTF_8), description.type())); // each bank's cookie has its own name
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("bank-" + name + "-http");
        if (VirtualThreads.areSupported()) {
            threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("bank-" + name + "-http"));
        }
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.setErrorHandler((request, response, callback) -> { // Jetty's own refusals, as JSON too
            Object status = request.getAttribute(ErrorHandler.ERROR_STATUS);
            Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
            int code = status instanceof Integer given ? given : 400;
            send(response, callback, api.error(code, code == 500 ? "internal" : "bad_request",
                    message != null ? message.toString() : "the request was refused", Map.of()));
            return true;
        });
        server.setStopTimeout(2_000);
    }

    /**
     * Starts listening.
     *
     * @throws IOException if the port cannot be bound
     */
    void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP server on " + connector.getHost() + ":" + connector.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@return the port it listens on} */
    int port() {
        return connector.getLocalPort();
    }

    /** Stops, finishing requests in flight for up to 2 s. */
    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP server: " + e.getMessage(), e);
        }
    }

    private void serve(Request request, Response response, Callback callback) {
        SECURITY_HEADERS.forEach((name, value) -> response.getHeaders().put(name, value));
        String path = request.getHttpURI().getDecodedPath();
        if (path == null) {
            send(response, callback, api.error(400, "bad_request", "malformed path", Map.of()));
            return;
        }
        StaticFile file = files.get(path);
        if (file != null && (request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.type());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, ByteBuffer.wrap(request.getMethod().equals("HEAD") ? new byte[0] : file.content()),
                    callback);
            return;
        }
        if (!path.startsWith("/api/")) {
            send(response, callback, api.error(404, "not_found", "no such page: " + Texts.shorten(path), Map.of()));
            return;
        }
        ApiResponse refused = checkBody(request);
        if (refused != null) {
            drain(request);
            send(response, callback, refused);
            return;
        }
        byte[] body;
        try {
            body = readBody(request);
        } catch (UncheckedIOException tooLarge) {
            send(response, callback, api.error(413, "payload_too_large", tooLarge.getMessage(), Map.of()));
            return;
        }
        String address = Request.getRemoteAddr(request);
        send(response, callback, api.handle(new ApiRequest(request.getMethod(), path, sessionToken(request), body,
                address)));
    }

    /** Refuses, before reading, a body declared too large or not declared as JSON. */
    private ApiResponse checkBody(Request request) {
        long length = request.getLength();
        if (length > MAX_BODY) {
            return api.error(413, "payload_too_large", "a request body is at most " + MAX_BODY + " bytes, got "
                    + length, Map.of());
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean hasBody = length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        boolean json = type != null && type.toLowerCase(Locale.ROOT).split(";")[0].strip().equals("application/json");
        if ((hasBody || request.getMethod().equals("POST")) && !json) {
            return api.error(415, "unsupported_media_type", "send the body as Content-Type: application/json",
                    Map.of());
        }
        return null;
    }

    /** Reads the body, refusing one that grows past the limit (a chunked body declares no length). */
    private static byte[] readBody(Request request) {
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                drain(in);
                throw new UncheckedIOException(new IOException("a request body is at most " + MAX_BODY + " bytes"));
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and drops a refused body, up to {@value #MAX_DRAINED} bytes, so that a client still sending it reads the
     * refusal rather than a reset connection; past that the connection is closed after the refusal.
     */
    private static void drain(Request request) {
        if (request.getLength() > MAX_DRAINED) {
            return;
        }
        try (InputStream in = Request.asInputStream(request)) {
            drain(in);
        } catch (IOException gone) {
            // the client went away: the refusal goes nowhere either
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] dropped = new byte[8192];
        long total = 0;
        for (int n = in.read(dropped); n >= 0 && total <= MAX_DRAINED; n = in.read(dropped)) {
            total += n;
        }
    }

    private String sessionToken(Request request) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie cookie : cookies) {
            if (cookie.getName().equals(api.sessionCookie())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    private void send(Response response, Callback callback, ApiResponse answer) {
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        answer.headers().forEach((name, value) -> response.getHeaders().add(name, value));
        if (answer.body() == null) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(api.write(answer.body())), callback);
    }

    private static Optional<StaticFile> load(String file) {
        try (InputStream in = WebServer.class.getResourceAsStream(WEB + file)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new StaticFile(in.readAllBytes(), type(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web panel's " + file, e);
        }
    }

    private static String type(String file) {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "json" -> "application/json; charset=utf-8";
            default -> "application/octet-stream";
        };
    }
}
