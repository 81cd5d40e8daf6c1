import Experiments
#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import ModelFormat

/// The options `replicate`, `sweep` and `compare` share, read from the command line.
struct StudyOptions {
    static let valueOptions: Set<String> = ["--seed", "--duration", "--out", "--replications", "--level", "--precision",
                                            "--max-replications", "--jobs", "--shard", "--variant"]
    static let repeatableOptions: Set<String> = ["--set", "--metric"]
    static let flagOptions: Set<String> = ["--keep-runs"]
    static let aliases = ["-r": "--replications", "-j": "--jobs"]

    static let help = """
          -r, --replications R
                         Replications per point (default: 10; with --precision, the first batch)
          --metric SEL   What to measure in each replication; repeatable. SEL is
                         COMPONENT.METRIC[@FROM..TO][:AGGREGATE], such as
                         'shoppers.successRatio@2m..3m:mean' (series.csv rows starting in the
                         window, reduced by mean, minimum, maximum, sum, first or last),
                         'cf.instanceCrashed@1h..:count' (events), or 'web.latencyP99' (the
                         summary row). An open start is the end of the warm-up; a window may not
                         start inside it. Default: every summary metric
          --level L      Confidence level of the intervals, such as 95% or 0.99 (default: 95%)
          --precision P  Add replications until every measure's interval half-width is at most
                         P of its mean (such as 2%), up to --max-replications (default: 10 × R);
                         exits 1 if that is not reached
          -j, --jobs J   Replications run at once (default: every core); results do not depend on it
          --shard K/N    Run only slice K (from 0) of N, into a shard folder for 'faultline merge'
          --keep-runs    Also write every replication's run files under DIR/runs/
          --seed N       Base seed (default: the model's run.seed)
          --duration T   Simulated time of each replication (default: the model's run.duration)
          --variant NAME Study a variant of the model, one of its 'variants', as for 'run'
          --out DIR      Output folder (default: out/<model name>-<command>, the model name of a
                         variant being <model>-<variant>)
          --set PATH=VALUE
                         Change the model without editing its file, as for 'run'; repeatable
        """

    var replications = 10
    var level = 0.95
    var precision: Double?
    var maximumReplications: Int?
    var jobs = WorkPool.availableCores
    var shard: StudyShard?
    var keepsRuns = false
    var selectors: [MetricSelector] = []
    var out: String?

    /// Reads the options; usage errors for values that cannot be used.
    init(_ parsed: ParsedArguments) throws {
        if let text = parsed.options["--replications"] {
            guard let count = Int(text), count >= 1, count <= 1_000_000 else {
                throw UsageError(message: "-r needs a number of replications from 1 to 1000000, found '\(text)'")
            }
            replications = count
        }
        if let text = parsed.options["--level"] {
            guard let value = Self.fraction(text), value > 0, value < 1 else {
                throw UsageError(message: "--level needs a confidence level between 0 and 100%, such as 95% or 0.99, found '\(text)'")
            }
            level = value
        }
        if let text = parsed.options["--precision"] {
            guard let value = Self.fraction(text), value > 0 else {
                throw UsageError(message: "--precision needs a positive relative half-width, such as 2% or 0.02, found '\(text)'")
            }
            guard replications >= 2 else { throw UsageError(message: "--precision needs at least 2 replications in the first batch (-r 2 or more)") }
            precision = value
        }
        if let text = parsed.options["--max-replications"] {
            guard precision != nil else { throw UsageError(message: "--max-replications goes with --precision") }
            guard let count = Int(text), count >= replications, count <= 1_000_000 else {
                throw UsageError(message: "--max-replications needs a number from -r (\(replications)) to 1000000, found '\(text)'")
            }
            maximumReplications = count
        } else if precision != nil {
            maximumReplications = min(1_000_000, replications * 10)
        }
        if let text = parsed.options["--jobs"] {
            guard let count = Int(text), count >= 1, count <= 1024 else {
                throw UsageError(message: "--jobs needs a number of replications to run at once, from 1 to 1024, found '\(text)'")
            }
            jobs = count
        }
        if let text = parsed.options["--shard"] {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 100_000, (0..<count).contains(index) else {
                throw UsageError(message: "--shard needs K/N with 0 ≤ K < N, such as 3/8 (with Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT), found '\(text)'")
            }
            guard precision == nil else {
                throw UsageError(message: "--shard cannot go with --precision: how many replications a precision needs is decided as the study goes; give -r instead")
            }
            shard = StudyShard(index: index, count: count)
        }
        keepsRuns = parsed.flags.contains("--keep-runs")
        selectors = try PreparedRun.selectors(parsed)
        out = parsed.options["--out"]
        if out?.isEmpty == true { throw UsageError(message: "--out needs a folder, found an empty name") }
    }

    /// `95%` as 0.95, `0.95` as itself.
    static func fraction(_ text: String) -> Double? {
        if text.hasSuffix("%") { return Double(text.dropLast()).map { $0 / 100 } }
        return Double(text)
    }
}
