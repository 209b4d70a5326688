package com.example.lantern;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.Simulator;
import dev.quiver.api.Skill;
import dev.quiver.testkit.PluginContractTest;

import java.util.List;

/** What the runner checks when it installs the plugin, checked here first. */
class LanternPluginContractTest extends PluginContractTest {

    @Override
    protected ConnectionType connectionType() {
        return new LanternConnectionType();
    }

    @Override
    protected List<Skill> skills() {
        return List.of(new ListAlertsSkill(), new IsolateHostSkill());
    }

    @Override
    protected Simulator simulator() {
        return new LanternSimulator();
    }
}
