package dev.quiver.cloudflare.spec;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * WireMock answering every request from the spec: a 200 whose body the {@link SpecValidAnswers} generator makes
 * from the operation's response schema, after checking the request against the spec and recording how it broke it.
 */
public final class SpecAnswersTransformer implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "spec-answers";

    private final OpenApiSubset spec;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile SpecValidAnswers answers;

    public SpecAnswersTransformer(OpenApiSubset spec, long seed) {
        this.spec = spec;
        this.answers = new SpecValidAnswers(spec, seed);
    }

    /** Starts a new seeded sequence of answers, so each run replays from its own seed. */
    public void reseed(long seed) {
        answers = new SpecValidAnswers(spec, seed);
        requests.clear();
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String url = request.getUrl();
        int q = url.indexOf('?');
        String rawPath = q < 0 ? url : url.substring(0, q);
        String rawQuery = q < 0 ? null : url.substring(q + 1);
        String method = request.getMethod().getName();
        requests.add(method + " " + url);
        List<String> broken = spec.violations(method, rawPath, rawQuery);
        violations.addAll(broken);
        String path = OpenApiSubset.apiPath(rawPath);
        Optional<OpenApiSubset.Operation> operation = spec.template(path).flatMap(t -> spec.operation(method, t));
        if (operation.isEmpty()) {
            return ResponseDefinition.notFound();
        }
        String body = answers.generate(spec.successSchema(operation.get())).toString();
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("cf-ray", "8c0ffee000000000-SJC")
                .withBody(body)
                .build();
    }

    @Override
    public String getName() {
        return NAME;
    }
}
