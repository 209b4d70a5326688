package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.plugins.InstallPolicy;
import dev.quiver.runner.plugins.OwnerOnly;
import dev.quiver.runner.plugins.PluginRemoval;
import dev.quiver.runner.plugins.PluginRefused;
import dev.quiver.runner.view.ContractJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Plugins installed and removed while the service runs. */
@ApiDocs.Keyed
@Controller("/api/v1/plugins")
@ExecuteOn(TaskExecutors.BLOCKING)
final class PluginsController {

    /** How long a removal waits for the plugin's running executions before it answers. */
    private static final long DRAIN_WAIT_SECONDS = 30;

    private final LiveCatalog catalog;
    private final RuntimeBeans.UploadFolder uploads;

    PluginsController(LiveCatalog catalog, RuntimeBeans.UploadFolder uploads) {
        this.catalog = catalog;
        this.uploads = uploads;
    }

    @Get
    @Allowed(Role.ADMIN)
    @ApiResponse(responseCode = "200", description = "The plugins, started or not, with their skills",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.PluginList.class)))
    ObjectNode list() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("plugins", ContractJson.plugins(catalog.plugins().reports(), catalog.get()));
        return body;
    }

    /**
     * The body is the archive itself (zip or jar); {@code ?sha256=} makes the install check its digest. A version
     * older than the started one is refused unless {@code ?allow_downgrade=true}, the same version unless
     * {@code ?force=true}.
     */
    @Post
    @Allowed(value = Role.ADMIN, maxBodyBytes = Allowed.ARCHIVE_BODY)
    @Unrestricted("install plugins (a plugin runs for every customer)")
    @Consumes({MediaType.APPLICATION_OCTET_STREAM, "application/zip", "application/java-archive"})
    @ApiResponse(responseCode = "201", description = "Installed and started; its skills are served from now on",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.PluginInstalled.class)))
    @ApiDocs.Refused
    @ApiDocs.WithBody
    @ApiDocs.Conflicting
    HttpResponse<JsonNode> install(@Nullable @Body @Schema(type = "string", format = "binary",
                                           description = "The plugin archive itself (zip or jar), at most 64 MiB")
                                   byte[] archive, @Nullable @QueryValue String sha256,
                                   @Nullable @QueryValue String filename,
                                   @QueryValue(value = "allow_downgrade", defaultValue = "false") boolean allowDowngrade,
                                   @QueryValue(value = "force", defaultValue = "false") boolean force) {
        if (archive == null || archive.length == 0) {
            throw ApiException.badRequest("the body is empty", "Send the plugin archive as the body"
                    + " (curl --data-binary @plugin.zip -H 'Content-Type: application/octet-stream').");
        }
        Path upload = null;
        try {
            Path incoming = OwnerOnly.createDirectories(uploads.path());
            // A folder per upload (owner-only: createTempDirectory makes it so on POSIX), so the archive keeps a
            // name a refusal can quote ("uploaded.zip is not ...").
            upload = Files.createTempDirectory(incoming, "upload-").resolve(filename != null
                    && filename.toLowerCase(java.util.Locale.ROOT).endsWith(".jar") ? "uploaded.jar" : "uploaded.zip");
            OwnerOnly.write(upload, archive);
            LiveCatalog.Installed installed = catalog.install(upload, sha256,
                    new InstallPolicy(allowDowngrade, force));
            return HttpResponse.created(ContractJson.installed(installed));
        } catch (PluginRefused refused) {
            throw refusal(refused);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(upload);
        }
    }

    @Delete("/{id}")
    @Allowed(Role.ADMIN)
    @Unrestricted("remove plugins (a plugin serves every customer)")
    @ApiResponse(responseCode = "200", description = "Removed; unloaded once its running executions finish",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.PluginRemoved.class)))
    @ApiDocs.Named
    ObjectNode remove(@PathVariable String id) {
        Optional<PluginRemoval> removal = catalog.remove(id);
        if (removal.isEmpty()) {
            throw new ApiException(Failure.of(ErrorCode.NOT_FOUND, "no started plugin has the id '" + id + "'",
                    "GET /api/v1/plugins lists the plugins."));
        }
        boolean unloaded;
        try {
            removal.get().unloaded().get(DRAIN_WAIT_SECONDS, TimeUnit.SECONDS);
            unloaded = true;
        } catch (TimeoutException e) {
            unloaded = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unloaded = false;
        } catch (java.util.concurrent.ExecutionException e) {
            unloaded = false;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("removed", id);
        body.put("version", removal.get().plugin().version());
        body.put("unloaded", unloaded);
        if (!unloaded) {
            body.put("note", "its skills are gone; it is unloaded when its running executions finish");
        }
        return body;
    }

    /**
     * A refused archive, always INVALID_INPUT: 413 when it expands past the limit (the archive is too large, as a
     * body past the upload limit is), 409 when it is a valid archive of a version not newer than the started one
     * (it conflicts with what is installed, and the same request with the override succeeds), 400 otherwise,
     * too many entries included (a malformed archive rather than a large one).
     */
    private static ApiException refusal(PluginRefused refused) {
        int status = switch (refused.kind()) {
            case INVALID -> 400;
            case TOO_LARGE -> 413;
            case NOT_NEWER -> 409;
        };
        String remediation = refused.override()
                .map(flag -> "Nothing was changed. To install it anyway, send it again with ?" + flag + "=true.")
                .orElse("Nothing was changed. Fix the archive and upload it again.");
        return new ApiException(status, new Failure(ErrorCode.INVALID_INPUT, "the plugin archive was refused: "
                + refused.getMessage(), refused.details(), remediation, List.of()));
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.getParent());
            }
        } catch (IOException ignored) {
            // a leftover upload is removed with the folder's next cleanup
        }
    }
}
