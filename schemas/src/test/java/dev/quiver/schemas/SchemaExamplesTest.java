package dev.quiver.schemas;

import dev.quiver.testkit.SchemaExamplesContract;

/** This module's schemas against their examples (the checks: {@link SchemaExamplesContract}). */
class SchemaExamplesTest extends SchemaExamplesContract {

    @Override
    protected int minimumSchemas() {
        return 3;
    }
}
