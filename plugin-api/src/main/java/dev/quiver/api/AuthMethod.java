package dev.quiver.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One way a connection may authenticate, declared by a {@link ConnectionType} and applied by the runner, so that
 * plugin code never handles a secret.
 *
 * @param name    the connection's {@code auth.method} value ({@code api_token})
 * @param fields  the {@code auth} fields the method requires; the runner treats every one as a secret
 * @param headers request headers to send, each value a template over the fields ({@code "Bearer {token}"})
 */
public record AuthMethod(String name, List<String> fields, Map<String, String> headers) {

    private static final Pattern FIELD = Pattern.compile("\\{([a-z_]+)}");

    public AuthMethod {
        fields = List.copyOf(fields);
        headers = Map.copyOf(headers);
    }

    /**
     * The headers for these field values.
     *
     * @throws IllegalArgumentException when a template names a field without a value
     */
    public Map<String, String> resolveHeaders(Map<String, String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        headers.forEach((header, template) -> {
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
