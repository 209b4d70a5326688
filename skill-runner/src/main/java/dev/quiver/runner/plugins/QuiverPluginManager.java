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

}
