package dev.quiver.runner.plugins;

import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;

import java.nio.file.Path;
import java.util.List;

/**
 * pf4j's default manager with two changes: plugin class loaders share the runner's API packages
 * ({@link SharedApiClassLoader}), and the system version is Quiver's, so {@code Plugin-Requires} is enforced.
 * Not thread-safe: {@link PluginHost} serialises access.
 */
public final class QuiverPluginManager extends DefaultPluginManager {

    QuiverPluginManager(List<Path> roots, String systemVersion) {
        super(roots);
        setSystemVersion(systemVersion);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader()
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return SharedApiClassLoader.forPlugin(pluginManager, descriptor);
                    }
                })
                .add(new DefaultPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return SharedApiClassLoader.forPlugin(pluginManager, descriptor);
                    }
                });
    }

    /**
     * The descriptor of the plugin at {@code path} (its {@code plugin.properties} or manifest), read without loading
     * the plugin, so that what it says can be checked before it is used.
     *
     * @throws org.pf4j.PluginRuntimeException when it has no descriptor
     */
    PluginDescriptor describe(Path path) {
        return getPluginDescriptorFinder().find(path);
    }
}
