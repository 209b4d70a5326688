package dev.quiver.runner.records;

import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;

/**
 * The pipeline's record stage: every finished execution becomes an {@link ExecutionRecord}, its input and output cut
 * past a size. A write skill's record is committed before the caller is answered; a read skill's is handed to the
 * records' writer, which commits it within milliseconds.
 */
public final class ExecutionRecorder implements ExecutionObserver {

    private final RecordStore store;
    private final int maxJsonBytes;

    public ExecutionRecorder(RecordStore store, int maxJsonBytes) {
        this.store = store;
        this.maxJsonBytes = maxJsonBytes;
    }

    @Override
    public void finished(ExecutionRequest request, ExecutionResult result) throws Exception {
        store.append(ExecutionRecord.kept(request, result, maxJsonBytes), result.write());
    }

    @Override
    public String toString() {
        return "the execution record";
    }
}
