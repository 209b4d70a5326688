package dev.quiver.runner.plugins;

import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

import java.util.List;

/**
 * A plugin class loader that takes the packages plugins and runner share (the plugin API, Jackson, slf4j) from the
 * runner, whatever the plugin bundles: a second copy of {@code JsonNode} or {@code Skill} in a plugin would make its
 * values foreign to the runner (LinkageError). Everything else is the plugin's own first.
 */
final class SharedApiClassLoader extends PluginClassLoader {

    static final List<String> SHARED_PACKAGES = List.of("dev.quiver.api.", "com.fasterxml.jackson.", "org.slf4j.");

    SharedApiClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent);
    }

    static SharedApiClassLoader forPlugin(PluginManager manager, PluginDescriptor descriptor) {
        return new SharedApiClassLoader(manager, descriptor, SharedApiClassLoader.class.getClassLoader());
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        return super.shouldDelegateToParent(className)
                || SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }
}
