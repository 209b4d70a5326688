package dev.quiver.runner.pipeline;

/**
 * Told of every execution when it has finished, before its caller is: the execution records and the metrics.
 * Called on the executing thread; an observer that throws makes the result carry a warning, never lose it.
 */
@FunctionalInterface
public interface ExecutionObserver {

    /** An execution has finished. */
    void finished(ExecutionRequest request, ExecutionResult result) throws Exception;
}
