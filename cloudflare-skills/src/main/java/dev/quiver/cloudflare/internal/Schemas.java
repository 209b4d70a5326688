package dev.quiver.cloudflare.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the skills' JSON Schemas that the {@code schemas} module bundles into this plugin. */
public final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {
    }

    /** The schema {@code schemas/cloudflare/<name>.schema.json}, e.g. {@code load("get_zone_details.input")}. */
    public static JsonNode load(String name) {
        String path = "schemas/cloudflare/" + name + ".schema.json";
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema missing from the plugin: " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
