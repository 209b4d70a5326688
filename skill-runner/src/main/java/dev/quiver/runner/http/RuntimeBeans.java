package dev.quiver.runner.http;

import dev.quiver.runner.access.ApiKeyStore;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.connection.ConnectionSource;
import dev.quiver.runner.mcp.StatelessMcpBridge;
import dev.quiver.runner.oauth.OAuthFlow;
import dev.quiver.runner.pipeline.ExecutionPipeline;
import dev.quiver.runner.records.RecordStore;
import dev.quiver.runner.runtime.QuiverRuntime;
import dev.quiver.runner.store.ConnectionStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/**
 * The parts of the running {@link QuiverRuntime} as Micronaut beans, so that each controller and filter is given
 * what it uses (the pipeline, the catalogue, a store) rather than the whole runtime; only this factory sees the
 * runtime. The runtime is made before the service, shared with the CLI's code paths, and closed by its owner: these
 * beans are views of it, so none but the MCP bridge (which is the HTTP layer's own) has a pre-destroy method, and
 * closing the context closes none of the runtime's parts.
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

    /**
     * Stored connections resolved for a caller, secrets and OAuth tokens fresh, a connection outside the caller's
     * scope refused as a missing one: what the pipeline itself uses.
     */
    @Singleton
    ConnectionSource connectionSource(QuiverRuntime runtime) {
        return runtime::connection;
    }

    @Singleton
    RecordStore records(QuiverRuntime runtime) {
        return runtime.records();
    }

    @Singleton
    OAuthFlow oauth(QuiverRuntime runtime) {
        return runtime.oauth();
    }

    @Singleton
    UploadFolder uploads(QuiverRuntime runtime) {
        return new UploadFolder(runtime.home().resolve("plugins").resolve(".uploads"));
    }

    /** MCP over HTTP: made here because it needs the runtime; its SDK server is stopped with the context. */
    @Singleton
    @Bean(preDestroy = "shutdown")
    StatelessMcpBridge mcp(QuiverRuntime runtime, @Value("${" + McpController.ALLOW_WRITES + ":false}")
    boolean allowWrites) {
        return new StatelessMcpBridge(runtime, allowWrites);
    }

    /**
     * Where uploaded plugin archives are written before they are judged: inside the home's plugins folder, so an
     * admitted archive is moved, not copied, and a leftover is removed by the folder's cleanup.
     *
     * @param path the folder (made owner-only on first use)
     */
    record UploadFolder(Path path) {
    }
}
