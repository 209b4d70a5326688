package dev.quiver.cloudflare.posture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the review can prove from a rule's expression (Cloudflare's Rules language) without evaluating it: whether it
 * is a plain disjunction of source-address matches ({@code ip.src eq A}, {@code ip.src in {A B/24}},
 * {@code ip.src in $list}), and which addresses and lists it mentions at all. Anything else (an {@code and}, a
 * {@code not}, another field) makes the expression "complex": a mention there is never taken as proof of a block.
 */
record RuleExpression(boolean simple, List<IpRange> ranges, List<String> lists) {

    private static final Pattern EQ = Pattern.compile("ip\\.src\\s+(?:eq|==)\\s+([0-9a-fA-F:./]+)");
    private static final Pattern SET = Pattern.compile("ip\\.src\\s+in\\s+\\{([^}]*)}");
    private static final Pattern LIST = Pattern.compile("ip\\.src\\s+in\\s+\\$([A-Za-z0-9_]+)");
    private static final Pattern ANY_LIST = Pattern.compile("\\$([A-Za-z0-9_]+)");
    private static final Pattern ANY_ADDRESS = Pattern.compile(
            "(?<![\\w.:])((?:\\d{1,3}\\.){3}\\d{1,3}(?:/\\d{1,2})?|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:/\\d{1,3})?)(?![\\w.:])");

    static RuleExpression parse(String expression) {
        String text = expression == null ? "" : expression.trim();
        List<IpRange> ranges = new ArrayList<>();
        List<String> lists = new ArrayList<>();
        boolean simple = !text.isEmpty();
        for (String term : disjuncts(text)) {
            String t = unwrap(term);
            Matcher m;
            if ((m = EQ.matcher(t)).matches()) {
                simple &= IpRange.parse(m.group(1)).map(ranges::add).orElse(false);
            } else if ((m = SET.matcher(t)).matches()) {
                for (String item : m.group(1).trim().split("\\s+")) {
                    simple &= !item.isEmpty() && IpRange.parse(item).map(ranges::add).orElse(false);
                }
            } else if ((m = LIST.matcher(t)).matches()) {
                lists.add(m.group(1));
            } else {
                simple = false;
            }
        }
        if (!simple) {
            // Mentions only: what a person should look at, never a proof.
            ranges.clear();
            lists.clear();
            Matcher addresses = ANY_ADDRESS.matcher(text);
            while (addresses.find()) {
                IpRange.parse(addresses.group(1)).ifPresent(ranges::add);
            }
            Matcher names = ANY_LIST.matcher(text);
            while (names.find()) {
                lists.add(names.group(1));
            }
        }
        return new RuleExpression(simple, List.copyOf(ranges), List.copyOf(lists));
    }

    /**
     * Whether the expression compares the request path with {@code path} itself (eq, in {...}, starts_with,
     * contains, or a wildcard whose prefix it is), and negates nothing: a {@code not} or {@code ne} could mean the
     * opposite, so it does not count.
     */
    static boolean coversPath(String expression, String path) {
        if (expression == null || !expression.contains("http.request.uri.path")) {
            return false;
        }
        String lower = " " + expression.toLowerCase(Locale.ROOT) + " ";
        if (lower.contains(" not ") || lower.contains("(not ") || lower.contains(" ne ") || lower.contains("!=")
                || lower.contains("!(")) {
            return false;
        }
        Matcher literals = Pattern.compile("\"([^\"]*)\"").matcher(expression);
        while (literals.find()) {
            String literal = literals.group(1);
            if (literal.equals(path) || (literal.endsWith("*") && path.startsWith(literal.substring(0,
                    literal.length() - 1)))) {
                return true;
            }
            boolean prefixOperator = expression.contains("starts_with(") || expression.contains(" contains ");
            if (prefixOperator && !literal.isEmpty() && path.startsWith(literal) && literal.length() > 1) {
                return true;
            }
        }
        return false;
    }

    /** The top-level {@code or} / {@code ||} operands of {@code text}. */
    private static List<String> disjuncts(String text) {
        String body = unwrap(text);
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int braces = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && c == '{') {
                braces++;
            } else if (!quoted && c == '}') {
                braces--;
            } else if (!quoted && depth == 0 && braces == 0) {
                if (body.startsWith("||", i)) {
                    parts.add(body.substring(start, i));
                    start = i + 2;
                    i++;
                } else if (body.regionMatches(true, i, " or ", 0, 4)) {
                    parts.add(body.substring(start, i));
                    start = i + 4;
                    i += 3;
                }
            }
        }
        parts.add(body.substring(start));
        return parts;
    }

    /** {@code text} without parentheses that enclose all of it. */
    private static String unwrap(String text) {
        String t = text.trim();
        while (t.startsWith("(") && t.endsWith(")") && closesAtEnd(t)) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }

    private static boolean closesAtEnd(String t) {
        int depth = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0 && i < t.length() - 1) {
                    return false;
                }
            }
        }
        return true;
    }
}
