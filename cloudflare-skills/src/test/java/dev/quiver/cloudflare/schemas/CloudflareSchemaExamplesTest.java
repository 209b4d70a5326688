package dev.quiver.cloudflare.schemas;

import dev.quiver.testkit.SchemaExamplesContract;

/** This module's schemas against their examples (the checks: {@link SchemaExamplesContract}). */
class CloudflareSchemaExamplesTest extends SchemaExamplesContract {

    @Override
    protected int minimumSchemas() {
        return 15;
    }
}
