package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;

/**
 * What the OpenAPI document says of the whole API. micronaut-openapi writes the document at compile time from this
 * and the controllers (their routes, parameters and Javadoc); {@link OperationsController} serves it as
 * {@code /openapi.yml}. The version is the pom's, passed to the processor by the build.
 */
@OpenAPIDefinition(
        info = @Info(title = "Quiver", version = "${quiver.version}",
                description = "Runs security-automation skills: typed, permission-checked actions against vendor"
                        + " APIs. Every route but GET /health needs \"Authorization: Bearer <api key>\". Roles:"
                        + " viewer (catalogue, executions, metrics) < analyst (+ run read skills) < responder (+ run"
                        + " write skills) < admin (+ connections, plugins, keys). Every error is the error object."),
        servers = @Server(url = "http://127.0.0.1:8686"),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A Quiver API key (keys create --role ROLE)")
final class ApiDescription {

    private ApiDescription() {
    }
}
