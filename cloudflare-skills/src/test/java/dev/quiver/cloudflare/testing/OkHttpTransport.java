package dev.quiver.cloudflare.testing;

import dev.quiver.api.HttpRequest;
import dev.quiver.api.HttpResponse;
import dev.quiver.api.HttpTransport;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The plugin's side of the runner's transport, for plugin tests: base URL + a Bearer token, nothing else. */
final class OkHttpTransport implements HttpTransport {

    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .callTimeout(Duration.ofSeconds(10))
            .build();

    private final String baseUrl;
    private final String token;

    OkHttpTransport(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        RequestBody body = request.body() == null
                ? ("GET".equals(request.method()) ? null : RequestBody.create(new byte[0]))
                : RequestBody.create(request.body(), MediaType.get(request.contentType()));
        Request.Builder builder = new Request.Builder()
                .url(baseUrl + request.path())
                .header("Authorization", "Bearer " + token)
                .method(request.method(), body);
        request.headers().forEach(builder::header);
        try (Response response = CLIENT.newCall(builder.build()).execute()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : response.headers().names()) {
                headers.put(name.toLowerCase(Locale.ROOT), response.headers(name));
            }
            return new HttpResponse(response.code(), headers, response.body().bytes());
        }
    }
}
