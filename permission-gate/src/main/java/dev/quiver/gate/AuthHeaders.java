package dev.quiver.gate;

import dev.quiver.api.AuthMethod;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the headers that carry a credential, from an auth method's templates and the credential's values. Here,
 * beside the gate, so that the runner's transport and the plugin testkit send exactly the same headers.
 */
public final class AuthHeaders {

    private static final Pattern FIELD = Pattern.compile("\\{([a-z0-9_]+)}");

    private AuthHeaders() {
    }

    /**
     * The headers for these field values.
     *
     * @throws IllegalArgumentException when a template names a field without a value
     */
    public static Map<String, String> resolve(AuthMethod method, Map<String, String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        method.headers().forEach((header, template) -> {
            Matcher m = FIELD.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("auth field '" + m.group(1) + "' has no value");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            resolved.put(header, out.toString());
        });
        return resolved;
    }
}
