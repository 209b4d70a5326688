package com.example.lantern;

import org.pf4j.Plugin;

/** The plugin's entry point; the skills, the connection type and the simulator are its {@code @Extension}s. */
public class LanternPlugin extends Plugin {
}
