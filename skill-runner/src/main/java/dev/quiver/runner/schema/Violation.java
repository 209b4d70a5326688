package dev.quiver.runner.schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One way a JSON document breaks its schema.
 *
 * @param pointer the JSON pointer of the offending value ({@code /rule/action}; {@code ""} for the document)
 * @param keyword the schema keyword that failed ({@code required}, {@code pattern})
 * @param message what is wrong, for a human
 */
public record Violation(String pointer, String keyword, String message) {

    /** The violation as an error detail. */
    public Map<String, Object> asDetail() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("pointer", pointer);
        detail.put("keyword", keyword);
        detail.put("message", message);
        return detail;
    }
}
