package dev.quiver.runner.http;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console: the static files the {@code console} module built (index.html and its hashed assets), served from
 * the classpath folder {@code quiver-console/}. They are public, as {@code /health} is: they hold no data, and the
 * console signs in with an API key that it sends to {@code /api/v1} like any client. Every answer forbids inline
 * script, framing and content sniffing; the assets' names change with their content, so they are cached for a year
 * and index.html is revalidated on every load.
 */
@Controller
final class ConsoleController {

    static final String FOLDER = "quiver-console/";

    /**
     * What the console may load: its own scripts, styles and images, and calls to this origin; nothing inline or
     * evaluated (its form validator interprets JSON Schema instead of compiling it), no plugin content, no framing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    /** An asset's name as Vite writes it: no folder, no "..". */
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2",
            "json", "application/json");

    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

    /** The console's page: sign in, then every page of the console (they are routed in the page, after '#'). */
    @Get("/")
    @Public
    @SecurityRequirement(name = "")
    @Produces("text/html; charset=utf-8")
    HttpResponse<byte[]> index() {
        byte[] page = file("index.html").orElseThrow(() -> new ApiException(404, Failure.of(ErrorCode.NOT_FOUND,
                "this build of the runner has no console", "Build it with the console module (mvn package).")));
        return secured(HttpResponse.ok(page), "text/html; charset=utf-8").header("Cache-Control", "no-cache");
    }

    /** One of the console's scripts, style sheets or images, by the hashed name index.html gives it. */
    @Get("/assets/{name}")
    @Public
    @SecurityRequirement(name = "")
    HttpResponse<byte[]> asset(@PathVariable String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Optional<byte[]> bytes = ASSET.matcher(name).matches() && TYPES.containsKey(extension)
                ? file("assets/" + name) : Optional.empty();
        if (bytes.isEmpty()) {
            throw new ApiException(404, Failure.of(ErrorCode.NOT_FOUND, "the console has no asset '" + name + "'",
                    "Reload the console: a newer build names its assets differently."));
        }
        return secured(HttpResponse.ok(bytes.get()), TYPES.get(extension))
                .header("Cache-Control", "public, max-age=31536000, immutable");
    }

    private static MutableHttpResponse<byte[]> secured(MutableHttpResponse<byte[]> response, String type) {
        return response.header("Content-Type", type)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin");
    }

    private Optional<byte[]> file(String path) {
        // The jar's files do not change while it runs: each is read once.
        return files.computeIfAbsent(path, p -> {
            try (InputStream in = ConsoleController.class.getClassLoader().getResourceAsStream(FOLDER + p)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
