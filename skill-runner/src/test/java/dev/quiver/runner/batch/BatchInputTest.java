package dev.quiver.runner.batch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchInputTest {

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesKeepTheirNumbersBlankOnesIncludedAndCrlfAndAMissingLastNewlineAreRead() throws Exception {
        assertEquals(List.of("a", "", "  ", "b", "c"), BatchInput.read(text("a\n\n  \r\nb\r\nc"), 3));
        assertEquals(List.of(), BatchInput.read(text(""), 1));
        assertEquals(List.of("é"), BatchInput.read(text("é\n"), 1));
    }

    @Test
    void onlyRequestLinesCountTowardTheCap() throws Exception {
        assertEquals(6, BatchInput.read(text("a\n\nb\n\nc\n\n"), 3).size());
        BatchInput.Refused refused = assertThrows(BatchInput.Refused.class,
                () -> BatchInput.read(text("a\nb\nc\nd"), 3));
        assertTrue(refused.tooManyLines());
        assertTrue(refused.getMessage().contains("more than 3"), refused.getMessage());
    }

    @Test
    void readingStopsAtTheFirstLinePastTheCapSoAnEndlessInputIsRefused() {
        InputStream lines = new InputStream() {
            private long at;

            @Override
            public int read() {
                return at++ % 2 == 0 ? 'x' : '\n';
            }
        };
        assertThrows(BatchInput.Refused.class, () -> BatchInput.read(lines, 1000));
    }

    @Test
    void aLineThatIsNotUtf8IsRefusedByItsNumber() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("ok\n\nbad ".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a UTF-16 surrogate, encoded: not UTF-8
        bytes.write("\nlater\n".getBytes(StandardCharsets.UTF_8));
        BatchInput.Refused refused = assertThrows(BatchInput.Refused.class,
                () -> BatchInput.read(new ByteArrayInputStream(bytes.toByteArray()), 10));
        assertFalse(refused.tooManyLines());
        assertTrue(refused.getMessage().startsWith("line 3 "), refused.getMessage());
    }
}
