package dev.quiver.runner.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistyped command lines, as a new user types them: the problem named once, with what was meant. */
class UsageErrorsTest {

    private record Ran(int exit, String stdout, String stderr) {
    }

    private static Ran cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, name -> null, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMistypedOptionIsNamedAsUnknownWithTheOptionMeantNotAsAMissingOne() {
        Ran ran = cli("run", "cloudflare_get_zone_details", "--conection", "sandbox");
        assertEquals(ExitCodes.USAGE, ran.exit());
        assertTrue(ran.stderr().contains("unknown option '--conection'; did you mean '--connection'?"), ran.stderr());
        assertFalse(ran.stderr().contains("Missing required option"), ran.stderr());
        assertTrue(ran.stderr().contains("See 'quiver run --help'."), ran.stderr());
        // stdout: only the error object, as for every failure
        assertEquals("{\"error\":{\"code\":\"INVALID_INPUT\",\"message\":\"unknown option '--conection'; did you mean"
                + " '--connection'?\",\"details\":[],\"remediation\":\"See 'quiver run --help'.\"}}", ran.stdout().strip());
    }

    @Test
    void aMistypedCommandGetsTheCommandMeant() {
        Ran ran = cli("rn");
        assertEquals(ExitCodes.USAGE, ran.exit());
        assertTrue(ran.stderr().contains("did you mean 'run'?"), ran.stderr());
    }

    @Test
    void aMissingRequiredOptionIsOneLineAndAPointerToTheHelp() {
        Ran ran = cli("run", "x");
        assertEquals(ExitCodes.USAGE, ran.exit());
        assertEquals(2, ran.stderr().strip().lines().count(), ran.stderr());
    }

    @Test
    void typosAreAFewEditsAway() {
        assertEquals(1, dev.quiver.runner.internal.Typos.distance("--conection", "--connection"));
        assertEquals(0, dev.quiver.runner.internal.Typos.distance("run", "run"));
        assertEquals(3, dev.quiver.runner.internal.Typos.distance("", "abc"));
    }
}
