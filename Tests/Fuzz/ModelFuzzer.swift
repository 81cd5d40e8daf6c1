// The libFuzzer target over the model reader, the model decoder and a short run in the engine.
// SwiftPM does not build it (it is not a declared target); Tests/Fuzz/build.sh does. See docs/fuzzing.md.
import FailureChains
import ModelFormat
import SimulationKernel

#if canImport(Glibc)
import Glibc
#endif

/// Set `FAULTLINE_FUZZ_VERBOSE=1` to print what each input did (for a reproducer, not for fuzzing).
let verbose = getenv("FAULTLINE_FUZZ_VERBOSE") != nil

/// libFuzzer's entry point: hands the bytes to the model loader and, when they make a valid model,
/// runs it briefly. Bad input must give located errors; a valid model must run without a trap.
/// Any crash, trap or sanitizer report is a finding; the return value is always 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let loaded: LoadedModel
    do {
        loaded = try ModelLoader.load(bytes: bytes, file: "fuzz.json5")
    } catch {
        // Rejected: every error must be located and say something.
        if verbose { print("rejected:\n\(error)") }
        precondition(!error.errors.isEmpty, "a rejected model with no error")
        for problem in error.errors {
            precondition(problem.location.line >= 1 && problem.location.column >= 1,
                         "an error without a location: \(problem)")
            precondition(!problem.message.isEmpty, "an error without a message: \(problem)")
            _ = problem.description
        }
        return 0
    }
    // Valid: run it for a few events, discarding the observations. The event limit bounds the
    // work; the model's own duration is kept, so that times near the end of a 292-year run are
    // reached too when events are sparse.
    var model = loaded.model
    model.run.maximumEvents = 20_000
    if verbose { print("valid; running \(model.run.duration) simulated, at most \(model.run.maximumEvents) events") }
    let result = ChainSimulation(model: model, sink: DiscardingSink()).run()
    if verbose { print("ran: \(result.outcome)") }
    precondition(result.outcome.endTime <= Instant.zero + model.run.duration,
                 "the run ended at \(result.outcome.endTime), after its duration \(model.run.duration)")
    return 0
}
