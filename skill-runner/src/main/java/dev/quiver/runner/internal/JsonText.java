package dev.quiver.runner.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON documents from outside (request bodies, connection files, the CLI's {@code --input}): bytes decoded as
 * strict UTF-8, then parsed by the shared mapper, which refuses duplicate keys. A problem is described for a
 * person, with its line and column, and without the parser's internals.
 */
public final class JsonText {

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'$",
            Pattern.DOTALL);

    /** The shared mapper, refusing a second document after the first too ("{} {}"). */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonText() {
    }

    /** Why a document was refused, for an error message. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * {@code bytes} as text: strict UTF-8, so that an invalid byte is refused rather than turned into U+FFFD (in a
     * stored secret, that is a credential silently changed).
     *
     * @throws Refused naming the offset of the first byte that is not UTF-8
     */
    public static String utf8(byte[] bytes) throws Refused {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (MalformedInputException e) {
            throw new Refused("it is not valid UTF-8 (byte " + in.position() + " begins no UTF-8 character)");
        } catch (CharacterCodingException e) {
            throw new Refused("it is not valid UTF-8 (near byte " + in.position() + ")");
        }
    }

    /**
     * {@code bytes} as one JSON document, which may be empty: then {@code null}.
     *
     * @throws Refused when it is not UTF-8 or not JSON, or has a duplicate key
     */
    public static JsonNode parse(byte[] bytes) throws Refused {
        return parse(utf8(bytes));
    }

    /** {@code text} as one JSON document, {@code null} when it is blank; as {@link #parse(byte[])}. */
    public static JsonNode parse(String text) throws Refused {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode json = READER.readTree(text);
            if (json == null || json.isMissingNode()) {
                return null;
            }
            String broken = loneSurrogate(json, "");
            if (broken != null) {
                // "\ud800" is valid JSON text but no character: stored, it would be turned into '?' silently.
                throw new Refused("the string at " + (broken.isEmpty() ? "the top" : broken) + " holds an escaped"
                        + " UTF-16 surrogate (\\uD800-\\uDFFF) that is not part of a pair, which is no character");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new Refused(describe(e));
        } catch (IOException e) {
            throw new Refused("it cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * What is wrong at which line and column: "duplicate key 'project_id' at line 2, column 40". The parser's own
     * message is kept up to the first hint about its configuration ("Feature 'ALLOW_COMMENTS' not enabled").
     */
    public static String describe(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(original);
        String what = duplicate.matches() ? "duplicate key '" + duplicate.group(1) + "'"
                : original.startsWith("Trailing token") ? "more JSON after the end of the document" : plain(original);
        JsonLocation where = e.getLocation();
        return where == null || where.getLineNr() < 0 ? what
                : what + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    // The parser's message up to its first hint about its own configuration or internals, which mean nothing to a
    // caller ("not recognized as one since Feature 'ALLOW_COMMENTS' not enabled", "[Source: ...]").
    private static String plain(String message) {
        String first = message.lines().findFirst().orElse(message);
        for (String hint : new String[]{" (not recognized as one since", " (start marker at", ": enable `", ", from `",
                " (through reference chain", "[Source:"}) {
            int at = first.indexOf(hint);
            if (at > 0) {
                first = first.substring(0, at) + (hint.startsWith(", from") ? ")" : "");
            }
        }
        first = first.replaceAll(" \\(code \\d+\\)", "").replaceAll("`[^`]*`", "").strip();
        return first.isEmpty() ? "malformed JSON" : first.substring(0, 1).toLowerCase(Locale.ROOT) + first.substring(1);
    }

    /** The JSON pointer of the first string (value or key) with an unpaired surrogate, or {@code null}. */
    private static String loneSurrogate(JsonNode node, String pointer) {
        if (node.isTextual()) {
            return paired(node.textValue()) ? null : pointer;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = loneSurrogate(node.get(i), pointer + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String at = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (!paired(field.getKey())) {
                    return at;
                }
                String found = loneSurrogate(field.getValue(), at);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean paired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
