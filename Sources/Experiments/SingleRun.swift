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
        /// How each of the model's expectations fared, in model order, when the run was asked to
        /// check them; empty otherwise.
        public var expectationResults: [ExpectationResult] = []
        /// The value of each measure the run was asked for, in order (nil when its window has no
        /// rows); empty for a run cut short.
        public var measured: [Double?] = []
    }

    /// Runs `model` and writes `series.csv`, `events.csv`, `summary.csv` and `run.json` into
    /// `directory`, each under a temporary name until the run is complete.
    ///
    /// - Parameters:
    ///   - model: The model to run.
    ///   - modelHash: FNV-1a-64 of the model file's bytes, for `run.json`.
    ///   - overrides: The `--set` arguments applied to the model, in order, for `run.json`.
    ///   - effectiveModelHash: The hash of the file and its overrides (`LoadedModel.effectiveHash`);
    ///     `modelHash` when nil.
    ///   - modelFile: The model file as given, for `run.json` (so that `faultline diff` can replay
    ///     the run); nil for a model that did not come from a file.
    ///   - variant: The variant of the model file that ran (`--variant`), for `run.json`.
    ///   - directory: The output directory, created if needed.
    ///   - checksExpectations: Whether to evaluate `model.expectations` once the run is complete,
    ///     keeping the observations they need on the way (through a `SeriesRecorder`).
    ///   - measuring: Measures (`--metric` selectors as expectations) to take of the run, whose
    ///     comparisons are not evaluated.
    ///   - writesReport: Whether to write `report.html` too (`--report`), from the files in the
    ///     run's private folder, before the folder is published.
    ///   - progress: Called now and then with simulated time and event count.
    /// - Throws: `OutputError` when a file cannot be written; no complete-looking file is left.
    public static func execute(
        _ model: SystemModel, modelHash: UInt64, overrides: [String] = [], effectiveModelHash: UInt64? = nil,
        modelFile: String? = nil, variant: String? = nil, directory: String, checksExpectations: Bool = false, measuring: [Expectation] = [], writesReport: Bool = false,
        progress: ((Instant, UInt64) -> Void)? = nil
    ) throws(OutputError) -> Outcome {
        let writer = try CSVRunWriter(directory: directory)
        let kept = (checksExpectations || writesReport ? model.expectations : []) + measuring
        let recorder = kept.isEmpty ? nil : SeriesRecorder(keepingWhat: kept, forwardingTo: writer)
        let result = ChainSimulation(model: model, sink: recorder ?? writer).run(progress: progress)
        let manifest = RunManifest(model: model, modelHash: modelHash, overrides: overrides,
                                   effectiveModelHash: effectiveModelHash ?? modelHash, modelFile: modelFile, variant: variant, result: result)
        let isComplete = result.outcome.stopReason.isComplete && !RunInterruption.isRequested
        do {
            try writer.commit(summary: result.summary, manifest: manifest) { (folder: String) throws(OutputError) in
                guard writesReport else { return }
                let results = isComplete ? recorder.map { ExpectationChecker.evaluate(model.expectations, summary: result.summary, recorder: $0) } : nil
                try RunReportMaker.write(into: folder, model: model, results: results, expectations: model.expectations)
            }
        } catch {
            writer.discard()
            throw error
        }
        var outcome = Outcome(result: result, manifest: manifest, stateChanges: writer.stateChanges)
        // A run cut short by a limit or a signal says nothing about what the expectations ask.
        if let recorder, result.outcome.stopReason.isComplete, !RunInterruption.isRequested {
            if checksExpectations {
                outcome.expectationResults = ExpectationChecker.evaluate(model.expectations, summary: result.summary, recorder: recorder)
            }
            outcome.measured = ExpectationChecker.evaluate(measuring, summary: result.summary, recorder: recorder).map(\.measured)
        }
        return outcome
    }
}
