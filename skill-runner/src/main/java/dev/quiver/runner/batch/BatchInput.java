package dev.quiver.runner.batch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's lines, read whole before any of them runs, so a batch refused for its size or its encoding runs and
 * records nothing. Each line is decoded as strict UTF-8: a lenient decoder would turn a bad byte into U+FFFD and run
 * a request other than the one sent. Reading stops at the first request line past the cap, so an endless input is
 * refused without being read to its end.
 */
public final class BatchInput {

    /** How many request lines a batch may have by default. */
    public static final int DEFAULT_MAX_LINES = 10_000;

    private BatchInput() {
    }

    /** Why a batch is refused before it runs. */
    public static final class Refused extends Exception {

        private final boolean tooManyLines;

        private Refused(String message, boolean tooManyLines) {
            super(message, null, false, false);
            this.tooManyLines = tooManyLines;
        }

        /** Whether it has more request lines than the cap (else a line is not UTF-8). */
        public boolean tooManyLines() {
            return tooManyLines;
        }
    }

    /**
     * Every line of {@code in}, in order, blank ones included (they keep the line numbers); at most
     * {@code maxLines} of them non-blank.
     *
     * @throws Refused past the cap, or at the first line that is not valid UTF-8
     */
    public static List<String> read(InputStream in, int maxLines) throws IOException, Refused {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int requests = 0;
        InputStream bytes = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        int b;
        boolean pending = false;
        while (true) {
            b = bytes.read();
            if (b >= 0 && b != '\n') {
                line.write(b);
                pending = true;
                continue;
            }
            if (b < 0 && !pending) {
                return lines;
            }
            String text = decode(utf8, line, lines.size() + 1);
            lines.add(text);
            if (!text.isBlank() && ++requests > maxLines) {
                throw new Refused("the batch has more than " + maxLines + " request lines; one batch takes at most "
                        + maxLines + " (split it into several)", true);
            }
            line.reset();
            pending = false;
            if (b < 0) {
                return lines;
            }
        }
    }

    private static String decode(CharsetDecoder utf8, ByteArrayOutputStream line, int number) throws Refused {
        byte[] raw = line.toByteArray();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        try {
            return utf8.reset().decode(ByteBuffer.wrap(raw, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("line " + number + " is not valid UTF-8; nothing was run", false);
        }
    }
}
