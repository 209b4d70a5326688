package dev.quiver.runner.records;

import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;

/** The pipeline's record stage: every finished execution becomes a durable {@link ExecutionRecord}. */
public final class ExecutionRecorder implements ExecutionObserver {

    private final ExecutionLog log;

    public ExecutionRecorder(ExecutionLog log) {
        this.log = log;
    }

    @Override
    public void finished(ExecutionRequest request, ExecutionResult result) throws Exception {
        log.append(ExecutionRecord.of(request, result));
    }

    @Override
    public String toString() {
        return "the execution record";
    }
}
