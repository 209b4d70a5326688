package dev.quiver.runner.records;

import dev.quiver.runner.pipeline.ExecutionObserver;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;

import java.util.function.Supplier;

/**
 * The pipeline's record stage: every finished execution becomes an {@link ExecutionRecord} with its input and output
 * (the store cuts each past its size limit, on its writer's thread). A write skill's record is committed before the
 * caller is answered; a read skill's is handed to the records' writer, which commits it within milliseconds.
 */
public final class ExecutionRecorder implements ExecutionObserver {

    private final Supplier<RecordStore> store;

    public ExecutionRecorder(RecordStore store) {
        this(() -> store);
    }

    /** @param store the records, asked for at each execution: they may be opened by the first one */
    public ExecutionRecorder(Supplier<RecordStore> store) {
        this.store = store;
    }

    @Override
    public void finished(ExecutionRequest request, ExecutionResult result) throws Exception {
        store.get().append(ExecutionRecord.of(request, result).with(result.input(), result.output()), result.write());
    }

    @Override
    public String toString() {
        return "the execution record";
    }
}
