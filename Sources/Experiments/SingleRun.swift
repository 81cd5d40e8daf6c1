import FailureChains
import Reporting
import SimulationKernel

/// One run of a model whose observations are written to an output directory.
public enum SingleRun {
    /// What a finished run leaves to its caller.
    public struct Outcome {
        /// The run's result: how it ended and its summary.
        public var result: RunResult
        /// What `run.json` says.
        public var manifest: RunManifest
        /// Every state change, in order, as written to `events.csv`.
        public var stateChanges: [StateChange]
    }

    /// Runs `model` and writes `series.csv`, `events.csv`, `summary.csv` and `run.json` into
    /// `directory`, each under a temporary name until the run is complete.
    ///
    /// - Parameters:
    ///   - model: The model to run.
    ///   - modelHash: FNV-1a-64 of the model file's bytes, for `run.json`.
    ///   - directory: The output directory, created if needed.
    ///   - progress: Called now and then with simulated time and event count.
    /// - Throws: `OutputError` when a file cannot be written; no complete-looking file is left.
    public static func execute(
        _ model: SystemModel, modelHash: UInt64, directory: String,
        progress: ((Instant, UInt64) -> Void)? = nil
    ) throws(OutputError) -> Outcome {
        let writer = try CSVRunWriter(directory: directory)
        let result = ChainSimulation(model: model, sink: writer).run(progress: progress)
        let manifest = RunManifest(model: model, modelHash: modelHash, result: result)
        do {
            try writer.commit(summary: result.summary, manifest: manifest)
        } catch {
            writer.discard()
            throw error
        }
        return Outcome(result: result, manifest: manifest, stateChanges: writer.stateChanges)
    }
}
