package dev.quiver.cloudflare;

import org.pf4j.Plugin;

/** The Cloudflare plugin: its skills and connection type are the {@code @Extension}s in this package tree. */
public class CloudflarePlugin extends Plugin {
}
