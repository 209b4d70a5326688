package dev.quiver.runner.http;

import dev.quiver.runner.access.ApiKeyStore;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.records.RecordStore;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.store.ConnectionStore;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The parts of the running {@link QuiverRuntime} as Micronaut beans, so that each controller and filter is given
 * what it uses (the pipeline, the catalogue, a store) rather than the whole runtime. The runtime is made before the
 * service, shared with the CLI's code paths, and closed by its owner: these beans are views of it, so none has a
 * pre-destroy method and closing the context closes none of them.
 */
@Factory
final class RuntimeBeans {

    @Singleton
    ExecutionPipeline pipeline(QuiverRuntime runtime) {
        return runtime.pipeline();
    }

    /** The live catalogue: {@link LiveCatalog#get()} is the catalogue of this moment (installs swap it). */
    @Singleton
    LiveCatalog catalog(QuiverRuntime runtime) {
        return runtime.liveCatalog();
    }

    @Singleton
    ApiKeyStore keys(QuiverRuntime runtime) {
        return runtime.keys();
    }

    @Singleton
    ConnectionStore connections(QuiverRuntime runtime) {
        return runtime.connections();
    }

    @Singleton
    RecordStore records(QuiverRuntime runtime) {
        return runtime.records();
    }
}
